#!/usr/bin/env bash
# CLI smoke tests: each case runs the real binary the way a user or scheduler would and checks
# exit codes, messages and files. Usage: cli_test.sh CASE STACKAUDIT SOURCE_DIR WORK_DIR
set -uo pipefail
case_name=$1 bin=$2 src=$3 work=$4
rm -rf "$work" && mkdir -p "$work"
cd "$work"
sample="$src/sample_data/northwind"
golden="$src/tests/cli/golden"

die() { echo "FAIL [$case_name]: $*" >&2; exit 1; }
# run EXPECTED_EXIT CMD...: runs CMD, keeps stdout/stderr in out.txt/err.txt, checks the exit code.
run() {
  local expected=$1; shift
  "$@" >out.txt 2>err.txt
  local rc=$?
  if [ "$rc" -ne "$expected" ]; then
    echo "--- stdout"; tail -40 out.txt; echo "--- stderr"; tail -40 err.txt
    die "expected exit $expected, got $rc from: $*"
  fi
}
has() { grep -qF -- "$2" "$1" || { echo "--- $1:"; head -60 "$1"; die "$1 lacks: $2"; }; }
lacks() { ! grep -qF -- "$2" "$1" || die "$1 should not contain: $2"; }
copy_sample() { cp -r "$sample" company; }
# write_pricey_rule DIR: a rule whose condition misspells a fact (tool.cost_per_set, line 8 col 17).
write_pricey_rule() {
  mkdir -p "$1"
  cat >"$1/pricey-tool.yaml" <<'YAML'
id: pricey-tool
title: Expensive tool
description: A tool that costs a lot per seat.
rationale: Expensive tools deserve a look.
category: use
subject: tool
severity: low
condition: tool.cost_per_set > 1000
message: "{{tool.name}} costs {{tool.cost_per_seat}} per seat"
remediation: Review it.
tests:
  - {name: pricey, expect: fire, facts: {tool.cost_per_seat: 2000}}
  - {name: cheap, expect: no-fire, facts: {tool.cost_per_seat: 10}}
YAML
}

case $case_name in
help)
  run 0 "$bin" --help
  has out.txt "audit"; has out.txt "rules"; has out.txt "sample"; has out.txt "connectors"
  run 0 "$bin" audit --help
  has out.txt "Exit codes"; has out.txt "--on-bad-row"; has out.txt "--fail-on"
  run 2 "$bin" audti
  ;;
version)
  run 0 "$bin" --version
  grep -qE '^[0-9]+\.[0-9]+\.[0-9]+' out.txt || die "no version"
  ;;
rules_validate)
  run 0 "$bin" rules validate
  has out.txt "rules valid"
  ;;
rules_test)
  run 0 "$bin" rules test
  grep -qE ' [0-9]+ passed, 0 failed' out.txt || { cat out.txt; die "rule tests failed"; }
  ;;
rules_explain)
  run 0 "$bin" rules explain idle-seat
  has out.txt "idle_days"
  run 2 "$bin" rules explain idle-seta
  has err.txt 'did you mean "idle-seat"'
  ;;
rules_list)
  run 0 "$bin" rules list
  for id in no-owner owner-departed owner-unknown no-technical-owner no-business-owner conflicting-owners \
            owner-outside-using-department idle-seat departed-seat unknown-seat-holder low-utilisation \
            over-contract used-outside-intended capability-overlap shadow-it unreviewed-integrated-tool \
            customer-data-unreviewed renewal-low-utilisation integration-without-owner; do
    has out.txt "$id"
  done
  ;;
connectors_describe)
  run 0 "$bin" connectors list
  has out.txt "okta_log"
  run 0 "$bin" connectors describe seats
  has out.txt "last_activity"
  run 2 "$bin" connectors describe seat
  has err.txt 'did you mean "seats"'
  ;;
sample_determinism)
  run 0 "$bin" sample --out a
  run 0 "$bin" sample --out b
  diff -r a b >/dev/null || die "two generations differ"
  diff -r -x '.*' a "$sample" >diff.txt || { head -20 diff.txt; die "sample_data/northwind differs from a fresh 'stackaudit sample'"; }
  ;;
golden_audit)
  run 0 "$bin" audit --config "$sample/stackaudit.yaml" --out out
  sed -E 's/stackaudit [0-9]+\.[0-9]+\.[0-9]+/stackaudit VERSION/' out.txt >summary.txt
  sed -E 's/"version":"[^"]*"/"version":"VERSION"/' out/findings.json >findings.json
  status=0
  for f in findings.csv:out/findings.csv findings.json:findings.json summary.txt:summary.txt; do
    name=${f%%:*} got=${f#*:}
    approved="$golden/northwind-${name%.*}.approved.${name##*.}"
    received="$golden/northwind-${name%.*}.received.${name##*.}"
    if ! cmp -s "$got" "$approved"; then
      cp "$got" "$received"
      echo "golden mismatch: $approved (received file written beside it)" >&2
      diff "$approved" "$got" | head -30 >&2
      status=1
    fi
  done
  [ $status -eq 0 ] || die "outputs differ from the approved golden files; if the change is intended run scripts/approve-golden.sh tests/cli/golden"
  ;;
planted_problems)
  run 0 "$bin" audit --config "$sample/stackaudit.yaml" --out out
  python3 "$src/tests/cli/check_planted.py" "$sample/PLANTED.md" out/findings.csv || die "planted problems and findings disagree"
  ;;
deterministic_outputs)
  run 0 "$bin" audit --config "$sample/stackaudit.yaml" --out one
  run 0 "$bin" audit --config "$sample/stackaudit.yaml" --out two
  cmp one/findings.csv two/findings.csv || die "findings.csv differs between runs"
  cmp one/findings.json two/findings.json || die "findings.json differs between runs"
  ;;
bad_config)
  copy_sample
  sed -i 's/^inputs:/inptus:/' company/stackaudit.yaml
  run 2 "$bin" audit --config company/stackaudit.yaml --out out
  has err.txt 'did you mean "inputs"'
  has err.txt "stackaudit.yaml:"
  [ ! -e out/findings.csv ] || die "a bad config must not write findings"
  ;;
missing_seat_file)
  copy_sample
  victim=$(ls company/seats | head -1)
  rm "company/seats/$victim"
  run 3 "$bin" audit --config company/stackaudit.yaml --out out
  has out.txt "WARNING"
  has out.txt "$victim"
  [ -s out/findings.csv ] || die "findings must still be written on partial data"
  has err.txt "partial data"
  ;;
bad_row_fail)
  copy_sample
  printf '%s\n' '00uBROKEN,"unterminated@northwind.example,Broken Row,Marketing,Field,ACTIVE,' >>company/directory.csv
  lines=$(wc -l <company/directory.csv)
  run 2 "$bin" audit --config company/stackaudit.yaml --out out
  has err.txt "directory.csv:$lines"
  has err.txt "--on-bad-row"
  ;;
bad_row_collect)
  copy_sample
  printf '%s\n' 'only,three,fields' >>company/directory.csv
  lines=$(wc -l <company/directory.csv)
  run 3 "$bin" audit --config company/stackaudit.yaml --out out --on-bad-row collect
  has out/rejects.csv "only,three,fields"
  has out/rejects.csv ",$lines,"
  has out.txt "rejected"
  ;;
seat_tool_typo)
  copy_sample
  sed -i 's/tool: Salesforce$/tool: Salesforse/' company/stackaudit.yaml
  grep -q 'tool: Salesforse' company/stackaudit.yaml || die "the sample config has no Salesforce seat export to break"
  run 2 "$bin" audit --config company/stackaudit.yaml --out out
  has err.txt 'did you mean "Salesforce"'
  has err.txt "stackaudit.yaml:"
  ;;
missing_catalog)
  copy_sample
  rm company/catalog.csv
  run 2 "$bin" audit --config company/stackaudit.yaml --out out
  has err.txt "catalog.csv"
  ;;
unknown_rule_fact)
  write_pricey_rule myrules
  run 2 "$bin" rules validate myrules
  has err.txt "pricey-tool.yaml:8:17"
  has err.txt 'did you mean tool.cost_per_seat'
  sed -i 's/cost_per_set/cost_per_seat/' myrules/pricey-tool.yaml
  run 0 "$bin" rules validate myrules
  run 0 "$bin" rules test myrules
  has out.txt "2 passed, 0 failed"
  ;;
broken_rule_audit)
  # A broken rule stops the audit before anything is audited, on one thread (rules load first)
  # and on two (rules load while the inputs are read, whose messages are then held back).
  copy_sample
  write_pricey_rule company/myrules
  printf 'rules:\n  paths: [%s, myrules]\n' "$src/rules" >>company/stackaudit.yaml
  rm company/catalog.csv  # an input problem that must not be reported: the rules come first
  for threads in 1 2; do
    run 2 "$bin" audit --config company/stackaudit.yaml --out out --threads "$threads"
    has err.txt "pricey-tool.yaml:8:17"
    has err.txt "problem(s) in the rules; nothing was audited"
    lacks err.txt "catalog.csv"
    [ ! -e out/findings.csv ] || die "findings.csv written although the rules are broken"
  done
  ;;
fail_on_exit_code)
  run 1 "$bin" audit --config "$sample/stackaudit.yaml" --out out --fail-on high --quiet
  run 0 "$bin" audit --config "$sample/stackaudit.yaml" --out out --quiet
  ;;
live_pull)
  # Done means for live connectors: `stackaudit pull` against the loopback vendor server pulls
  # every source, and the audit of the snapshot equals the audit of the same pages saved as files.
  api="$src/tests/connectors/data/api"
  vendors="okta okta_log m365 google_workspace salesforce slack hubspot adobe zoom zendesk"
  roots=""
  for v in okta m365 google_workspace salesforce slack hubspot adobe zoom zendesk; do roots="$roots --root $api/$v"; done
  mkfifo hold
  python3 "$src/tests/connectors/replay/replay_server.py" $roots --port 0 <hold >port.txt 2>server.log &
  server=$!
  exec 7>hold
  trap 'exec 7>&-; kill $server 2>/dev/null' EXIT
  for _ in $(seq 100); do grep -q LISTENING port.txt 2>/dev/null && break; sleep 0.1; done
  port=$(awk '/LISTENING/ {print $2}' port.txt)
  [ -n "$port" ] || { cat server.log; die "the replay server did not start"; }
  base="http://127.0.0.1:$port"
  secret="sa-fake-token-7f3c9e1d"
  for v in OKTA OKTA_LOG M365 GOOGLE SALESFORCE SLACK HUBSPOT ADOBE ADOBE_KEY ZOOM ZENDESK; do export "${v}_TOKEN=$secret-$v"; done
  common="company: Northwind Labs
as_of: 2026-11-01
snapshots: snaps
inputs:
  directory: {path: $sample/directory.csv}
  catalog: {path: $sample/catalog.csv}
  integrations: {path: $sample/integrations.csv}"
  api_of() {  # api_of KIND ENV [options]
    local extra=""
    [ -n "${3:-}" ] && extra=", options: {$3}"
    echo "    api: {base_url: \"$base\", credentials: {token: {env: $2}}$extra}"
  }
  {
    echo "$common"
    echo "  okta:";             api_of okta OKTA_TOKEN
    echo "  okta_log:";         api_of okta_log OKTA_LOG_TOKEN
    echo "  m365:";             api_of m365 M365_TOKEN
    echo "  google_workspace:"; api_of google_workspace GOOGLE_TOKEN "customer_id: C03az79cb, licensing_base_url: \"$base\", since: \"2026-08-03T00:00:00Z\""
    echo "  salesforce:";       api_of salesforce SALESFORCE_TOKEN
    echo "  slack:";            api_of slack SLACK_TOKEN
    echo "  hubspot:";          api_of hubspot HUBSPOT_TOKEN
    echo "  adobe:"
    echo "    api: {base_url: \"$base\", credentials: {token: {env: ADOBE_TOKEN}, api_key: {env: ADOBE_KEY_TOKEN}}, options: {org_id: \"4F2A1C3B5D6E7F8091A2B3C4@AdobeOrg\"}}"
    echo "  zoom:";             api_of zoom ZOOM_TOKEN
    echo "  zendesk:"
    echo "    api: {base_url: \"$base\", credentials: {api_token: {env: ZENDESK_TOKEN}}, options: {email: it-admin@northwind.example, subdomain: northwind}}"
  } >live.yaml
  {
    echo "$common"
    for v in $vendors; do
      folder=$v; [ "$v" = okta_log ] && folder=okta
      echo "  $v: {path: \"$api/$folder\"}"
    done
  } >saved.yaml
  run 0 "$bin" connectors check --config live.yaml
  for v in $vendors; do has out.txt "ok    $v: credentials accepted"; done
  [ ! -e snaps ] || die "connectors check must not write snapshots"
  run 0 "$bin" pull --config live.yaml
  for v in $vendors; do has out.txt "pulled $v:"; done
  has out.txt "10 source(s) pulled, 0 failed"
  "$bin" audit --config live.yaml --out live-out >live-audit.txt 2>live-err.txt; live_rc=$?
  "$bin" audit --config saved.yaml --out saved-out >saved-audit.txt 2>saved-err.txt; saved_rc=$?
  [ "$live_rc" -eq "$saved_rc" ] || { tail live-err.txt saved-err.txt; die "exit codes differ: live $live_rc, saved $saved_rc"; }
  [ "$live_rc" -le 1 ] || { cat live-audit.txt | head -40; tail live-err.txt; die "the live audit exited $live_rc"; }
  cmp live-out/findings.csv saved-out/findings.csv || { diff live-out/findings.csv saved-out/findings.csv | head; die "findings from the snapshot differ from the saved pages"; }
  [ "$(wc -l <live-out/findings.csv)" -gt 1 ] || die "no findings at all: the comparison proves nothing"
  # Secrets: never in a snapshot, an output, or anything printed.
  if grep -rl "$secret" snaps live-out saved-out out.txt err.txt live-audit.txt live-err.txt 2>/dev/null; then
    die "a token leaked into the files above"
  fi
  # A failing source keeps its previous snapshot, the others still pull, and the audit says it is stale.
  latest_before=$(cat snaps/salesforce/LATEST)
  python3 - "$base" <<'PY'
import json, sys, urllib.request
req = urllib.request.Request(sys.argv[1] + "/__control/faults", method="POST",
    data=json.dumps({"faults": [{"path": "/services/data/v60.0/query", "query": "*", "times": -1,
                                 "action": {"status": 401, "body": "[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]"}},
                                # The recorded log pages ignore `since`; Okta answers an incremental
                                # pull with only what is new, here nothing.
                                {"path": "/api/v1/logs", "query": "*", "times": 1,
                                 "action": {"status": 200, "body": "[]", "headers": {"Content-Type": "application/json"}}}]}).encode(),
    headers={"Content-Type": "application/json"})
urllib.request.urlopen(req).read()
PY
  sleep 1.1  # a new snapshot stamp
  run 3 "$bin" pull --config live.yaml
  has err.txt "SALESFORCE_TOKEN"
  has err.txt "HTTP 401"
  has out.txt "9 source(s) pulled, 1 failed"
  [ "$(cat snaps/salesforce/LATEST)" = "$latest_before" ] || die "a failed pull replaced the previous snapshot"
  [ -f snaps/salesforce/LAST_FAILURE.json ] || die "no LAST_FAILURE.json after a failed pull"
  run 3 "$bin" connectors check --config live.yaml --source salesforce
  has out.txt "FAIL  salesforce"
  has out.txt "SALESFORCE_TOKEN"
  run 3 "$bin" audit --config live.yaml --out stale-out
  has out.txt "STALE"
  has out.txt "salesforce is stale"
  cmp live-out/findings.csv stale-out/findings.csv || die "the stale audit lost data"
  if grep -rl "$secret" snaps stale-out out.txt err.txt 2>/dev/null; then die "a token leaked after the failure"; fi
  # Everything the pulls and audits wrote (snapshots, meta files, outputs, the history databases
  # with their graphs, logs), also in the base64 forms a Basic auth header would carry.
  for needle in "$secret" "$(printf '%s' "$secret" | base64 -w0)" \
                "$(printf 'it-admin@northwind.example/token:%s' "$secret" | base64 -w0)"; do
    if grep -rlaF -- "$needle" . ; then die "a token (or its base64 form) leaked into the files above"; fi
  done
  ;;
nightly_lifecycle)
  # Three nightly runs over changing data: a problem fixed, a new one appearing, a waiver added.
  copy_sample
  run 0 "$bin" audit --config company/stackaudit.yaml --out out --as-of 2026-11-01
  has out/findings.csv ",new,2026-11-01,0,false,"
  has out.txt "first recorded run"
  has out.txt "ALIGNMENT SCORECARD"
  [ -s out/report.html ] || die "no report.html"
  # Run 2: Typeform gets owners (no-owner resolved); Amy Nguyen leaves (departed-seat appears,
  # her idle-seat finding resolves because a departed holder is reported as such).
  sed -i 's/^Typeform,Typeform,Typeform,forms;surveys,Marketing,Marketing;Product;HR,,,/Typeform,Typeform,Typeform,forms;surveys,Marketing,Marketing;Product;HR,ryan.cox@northwind.example,karen.rogers@northwind.example,/' company/catalog.csv
  sed -i 's/^\(00uc4LyEk2Wbypszdz42,amy.nguyen@northwind.example,Amy Nguyen,Finance,FP&A,\)ACTIVE,\(\r\?\)$/\1DEPROVISIONED,2026-10-20\2/' company/directory.csv
  grep -q 'amy.nguyen@northwind.example,Amy Nguyen,Finance,FP&A,DEPROVISIONED' company/directory.csv || die "could not change the directory"
  run 4 "$bin" audit --config company/stackaudit.yaml --out out --as-of 2026-11-08 --fail-on-new
  has out.txt "SINCE THE LAST RUN (2026-11-01)"
  has out.txt "resolved: no-owner Typeform"
  python3 - out/findings.csv <<'PY' || die "run 2 lifecycle is wrong"
import csv, sys
rows = {(r['rule_id'], r['subject']): r for r in csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8'))}
new = rows[('departed-seat', 'seat:salesforce:amy.nguyen@northwind.example')]
assert new['state'] == 'new' and new['first_seen'] == '2026-11-08' and new['age_days'] == '0', new
old = rows[('shadow-it', 'app:grammarly')]
assert old['state'] == 'open' and old['first_seen'] == '2026-11-01' and old['age_days'] == '7', old
assert ('no-owner', 'tool:typeform') not in rows
PY
  # The HTML report tells the same story: what changed, and the new finding with its state.
  grep -qE '[0-9]+ new findings?, [1-9][0-9]* resolved' out/report.html || die "report.html does not show what was resolved"
  has out/report.html "amy.nguyen@northwind.example"
  run 0 "$bin" findings --config company/stackaudit.yaml --db out/stackaudit.db --state resolved --resolved --format csv
  has out.txt "no-owner"
  has out.txt "tool:typeform"
  # Run 3: a waiver for the Looker/Tableau overlap; the finding stays, marked waived.
  cat >company/waivers.yaml <<'YAML'
waivers:
  - rule: capability-overlap
    subject: "pair:looker|tableau"
    reason: Tableau is retired when the Q1 migration ends; both run until then
    approver: cio@northwind.example
    expires: 2027-03-31
YAML
  printf 'waivers: waivers.yaml\n' >>company/stackaudit.yaml
  run 0 "$bin" audit --config company/stackaudit.yaml --out out --as-of 2026-11-15
  python3 - out/findings.csv <<'PY' || die "run 3 waiver is wrong"
import csv, sys
rows = {(r['rule_id'], r['subject']): r for r in csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8'))}
w = rows[('capability-overlap', 'pair:looker|tableau')]
assert w['waived'] == 'true' and w['waiver_approver'] == 'cio@northwind.example' and w['waiver_expires'] == '2027-03-31', w
assert w['state'] == 'open' and w['age_days'] == '14', w
PY
  has out/report.html "Tableau is retired when the Q1 migration ends"
  run 0 "$bin" findings --config company/stackaudit.yaml --db out/stackaudit.db --state waived --format json
  has out.txt "pair:looker|tableau"
  run 0 "$bin" history Salesforce --config company/stackaudit.yaml --db out/stackaudit.db --format csv
  [ "$(grep -c 2026-11- out.txt)" -ge 3 ] || { cat out.txt; die "history of Salesforce should list three runs"; }
  # An expired waiver is reported, not applied.
  sed -i 's/expires: 2027-03-31/expires: 2026-11-01/' company/waivers.yaml
  run 0 "$bin" audit --config company/stackaudit.yaml --out out --as-of 2026-11-16
  has out.txt "expired"
  ;;
run_safety)
  # Two runs at once are refused cleanly; a run killed at any point leaves the previous run's
  # outputs and history intact, and the next run completes.
  copy_sample
  run 0 "$bin" audit --config company/stackaudit.yaml --out out --as-of 2026-11-01
  cp out/findings.csv before.csv
  touch out/stackaudit.db.lock
  flock --no-fork out/stackaudit.db.lock sleep 5 &
  holder=$!
  sleep 0.3
  run 5 "$bin" audit --config company/stackaudit.yaml --out out --as-of 2026-11-02
  has err.txt "another stackaudit run"
  kill $holder 2>/dev/null; wait $holder 2>/dev/null
  cmp before.csv out/findings.csv || die "a refused run touched the outputs"
  for delay in 0.01 0.03 0.06 0.1 0.15 0.2; do
    "$bin" audit --config company/stackaudit.yaml --out out --as-of 2026-11-03 --quiet >/dev/null 2>&1 &
    victim=$!
    sleep $delay
    kill -9 $victim 2>/dev/null; wait $victim 2>/dev/null
    for f in out/findings.csv out/findings.json out/report.html; do
      [ -s "$f" ] || die "$f is missing or empty after kill -9 at ${delay}s"
    done
    python3 -c "import json,sys; json.load(open('out/findings.json'))" || die "findings.json is not whole after kill -9 at ${delay}s"
    run 0 "$bin" findings --config company/stackaudit.yaml --db out/stackaudit.db --format csv
  done
  run 0 "$bin" audit --config company/stackaudit.yaml --out out --as-of 2026-11-04
  has out.txt "SINCE THE LAST RUN"
  ls out | grep -q '\.tmp\.' && die "temporary files were left behind"
  true
  ;;
docs_rule_example)
  # The complete rule in docs/rules.md ("Writing your own rule") validates, passes its own tests,
  # and runs in an audit next to the built-in pack, exactly as the doc tells a user to set it up.
  copy_sample
  mkdir -p company/company-rules
  python3 - "$src/docs/rules.md" company/company-rules/costly-tool-few-users.yaml <<'PY'
import re, sys
doc = open(sys.argv[1], encoding='utf-8').read()
blocks = [b for b in re.findall(r'```yaml\n(.*?)```', doc, re.S) if b.startswith('id: costly-tool-few-users')]
assert len(blocks) == 1, 'the example rule is not in docs/rules.md'
open(sys.argv[2], 'w', encoding='utf-8').write(blocks[0])
PY
  run 0 "$bin" rules validate company/company-rules
  run 0 "$bin" rules test company/company-rules
  has out.txt "5 passed, 0 failed"
  run 0 "$bin" rules explain costly-tool-few-users company/company-rules
  has out.txt "min_cost"
  printf 'rules:\n  paths: [%s, company-rules]\n' "$src/rules" >>company/stackaudit.yaml
  run 0 "$bin" audit --config company/stackaudit.yaml --out out --no-history
  grep -q "costly-tool-few-users" out/findings.json || die "the custom rule did not run in the audit"
  ;;
queries)
  # The ad-hoc questions answer from the recorded graph exactly as from the inputs, say loudly
  # when the run behind them was partial, and fail clearly when there is nothing to answer from.
  copy_sample
  run 2 "$bin" overlap -c company/stackaudit.yaml
  has err.txt "no runs recorded yet"
  run 0 "$bin" audit -c company/stackaudit.yaml --out out
  for q in "overlap" "overlap Canva" "owners" "owners --missing --departed" "impact Salesforce" \
           "impact Salesforce --upstream" "who Zoom" "who Salesforce --idle" "tools Marketing" \
           "tools ethan.allen@northwind.example"; do
    # shellcheck disable=SC2086
    run 0 "$bin" $q -c company/stackaudit.yaml --db out/stackaudit.db --format csv
    mv out.txt stored.csv
    # shellcheck disable=SC2086
    run 0 "$bin" $q -c company/stackaudit.yaml --from-inputs --format csv
    cmp -s stored.csv out.txt || { diff stored.csv out.txt | head; die "'$q' differs between the stored run and the inputs"; }
    [ "$(wc -l <stored.csv)" -gt 1 ] || die "'$q' answered nothing"
  done
  run 0 "$bin" overlap -c company/stackaudit.yaml --db out/stackaudit.db --format json -o answers/overlap.json
  has err.txt "wrote answers/overlap.json"
  python3 -c 'import json,sys; d=json.load(open("answers/overlap.json")); assert d["run"]["complete"] and d["totals"]["pairs"] > 0' \
    || die "overlap.json is not a complete answer"
  run 2 "$bin" who Zoomm -c company/stackaudit.yaml --db out/stackaudit.db
  has err.txt 'did you mean "Zoom"'
  run 2 "$bin" overlap -c company/stackaudit.yaml --db out/stackaudit.db --format xml

  # A run that could not read the usage log: every answer says so and exits 3.
  sed -i 's#path: okta_system_log.jsonl#path: missing_okta_log.jsonl#' company/stackaudit.yaml
  run 3 "$bin" audit -c company/stackaudit.yaml --out out
  run 3 "$bin" who Zoom -c company/stackaudit.yaml --db out/stackaudit.db
  has out.txt "WARNING: incomplete data"
  has out.txt "okta_log"
  run 3 "$bin" overlap -c company/stackaudit.yaml --db out/stackaudit.db --format csv
  has err.txt "warning: incomplete data"
  run 3 "$bin" owners -c company/stackaudit.yaml --db out/stackaudit.db --format json
  python3 -c 'import json; d=json.load(open("out.txt")); assert d["run"]["complete"] is False and d["run"]["gaps"]' \
    || die "the JSON answer does not say it is incomplete"
  ;;
doc_queries)
  python3 "$src/tests/cli/doc_examples.py" "$src/docs/queries.md" "$bin" "$src" "$work/examples" \
    || die "an example in docs/queries.md does not print what the document says"
  ;;
permission_warnings)
  # Files that decide what stackaudit trusts: a config or waivers file others can write, and a
  # config with live sources everyone can read, earn a warning naming the fix.
  copy_sample
  chmod 644 company/stackaudit.yaml
  run 0 "$bin" audit -c company/stackaudit.yaml --out out --no-history
  lacks err.txt "warning:"
  chmod 666 company/stackaudit.yaml
  run 0 "$bin" audit -c company/stackaudit.yaml --out out --no-history
  has err.txt "company/stackaudit.yaml is writable by everyone"
  has err.txt "chmod go-w company/stackaudit.yaml"
  chmod 644 company/stackaudit.yaml
  printf 'waivers: []\n' >company/waivers.yaml
  chmod 664 company/waivers.yaml
  printf 'waivers: waivers.yaml\n' >>company/stackaudit.yaml
  run 0 "$bin" audit -c company/stackaudit.yaml --out out --no-history
  has err.txt "waivers file"
  has err.txt "is writable by its group"
  # A live source: its config maps where credentials live.
  copy_live() {
    python3 - "$1" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read()
s = s.replace("""    - tool: Slack
      path: seats/slack_members.csv
      columns: {email: email, license_type: status}
""", "")
s = s.replace("""  okta_log:
""", """  slack:
    api:
      base_url: https://127.0.0.1:9
      credentials: {token: {env: STACKAUDIT_TEST_SLACK_TOKEN}}
  okta_log:
""")
open(p, "w").write(s)
PY
  }
  rm -f company/waivers.yaml && sed -i '/^waivers:/d' company/stackaudit.yaml
  copy_live company/stackaudit.yaml
  chmod 644 company/stackaudit.yaml
  run 3 "$bin" audit -c company/stackaudit.yaml --out out --no-history
  has err.txt "is readable by everyone and says where the live sources' credentials are kept"
  chmod 640 company/stackaudit.yaml
  run 3 "$bin" audit -c company/stackaudit.yaml --out out --no-history
  lacks err.txt "readable by everyone"
  ;;
*)
  die "unknown case"
  ;;
esac
echo "ok [$case_name]"
