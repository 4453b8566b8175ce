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
  mkdir -p myrules
  cat >myrules/pricey-tool.yaml <<'YAML'
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
  run 2 "$bin" rules validate myrules
  has err.txt "pricey-tool.yaml:8:17"
  has err.txt 'did you mean tool.cost_per_seat'
  sed -i 's/cost_per_set/cost_per_seat/' myrules/pricey-tool.yaml
  run 0 "$bin" rules validate myrules
  run 0 "$bin" rules test myrules
  has out.txt "2 passed, 0 failed"
  ;;
fail_on_exit_code)
  run 1 "$bin" audit --config "$sample/stackaudit.yaml" --out out --fail-on high --quiet
  run 0 "$bin" audit --config "$sample/stackaudit.yaml" --out out --quiet
  ;;
*)
  die "unknown case"
  ;;
esac
echo "ok [$case_name]"
