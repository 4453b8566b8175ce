#!/usr/bin/env bash
# Scheduling and graph smoke tests, one case per CTest test:
#   scheduling  the cron line in docs/scheduling.md parses (5 valid time fields + a shell
#               command), and docs/systemd/*.service|*.timer pass `systemd-analyze verify`
#               where it works, plus a Key=Value syntax check against known keys everywhere
#   graph_dot   `stackaudit graph --format dot` on the Northwind sample
# Usage: scheduling_test.sh CASE STACKAUDIT_BINARY SOURCE_DIR WORK_DIR
set -u

case_name=$1
bin=$2
src=$3
work=$4
rm -rf "$work"
mkdir -p "$work"

failures=0
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}
ok() { echo "ok: $*"; }

# ---------------------------------------------------------------------------------------------
# cron

# One cron field: comma-separated items, each "*" or N or N-M (names allowed for month and day
# of week), optionally "/STEP". Prints nothing; returns 1 with a reason on stderr when invalid.
cron_field_ok() {
    local field=$1 min=$2 max=$3 names=$4 what=$5
    local item range step lo hi
    local -a items
    [[ -n $field ]] || { echo "empty $what field" >&2; return 1; }
    IFS=',' read -r -a items <<<"$field"
    [[ $field != *, && $field != ,* && $field != *,,* ]] || { echo "$what: empty list item in '$field'" >&2; return 1; }
    for item in "${items[@]}"; do
        range=${item%%/*}
        step=""
        [[ $item == */* ]] && step=${item#*/}
        if [[ -n $step || $item == */ ]]; then
            [[ $step =~ ^[0-9]+$ ]] && ((10#$step >= 1 && 10#$step <= max)) ||
                { echo "$what: bad step '$step' in '$item'" >&2; return 1; }
        fi
        [[ $range == "*" ]] && continue
        if [[ $range == *-* ]]; then
            lo=${range%%-*}
            hi=${range#*-}
        else
            lo=$range
            hi=$range
        fi
        lo=$(cron_value "$lo" "$names") || { echo "$what: '$item' is not a number or name" >&2; return 1; }
        hi=$(cron_value "$hi" "$names") || { echo "$what: '$item' is not a number or name" >&2; return 1; }
        ((lo >= min && lo <= max && hi >= min && hi <= max)) ||
            { echo "$what: '$item' is outside $min-$max" >&2; return 1; }
        ((lo <= hi)) || { echo "$what: range '$item' runs backwards" >&2; return 1; }
    done
    return 0
}

# A number, or a month/day name (jan=1 ..., sun=0 ...) when the field allows names.
cron_value() {
    local v=${1,,} names=$2 i=0 n
    if [[ $v =~ ^[0-9]+$ ]]; then
        echo $((10#$v))
        return 0
    fi
    [[ -n $names ]] || return 1
    for n in $names; do
        if [[ $v == "$n" ]]; then
            echo "$i"
            return 0
        fi
        i=$((i + 1))
    done
    return 1
}

# Checks one crontab job line; returns 1 (with reasons on stderr) when it is not valid.
cron_line_ok() {
    local line=$1 m h dom mon dow cmd rc=0
    read -r m h dom mon dow cmd <<<"$line"
    [[ -n ${cmd:-} ]] || { echo "fewer than 5 time fields and a command: $line" >&2; return 1; }
    cron_field_ok "$m" 0 59 "" minute || rc=1
    cron_field_ok "$h" 0 23 "" hour || rc=1
    cron_field_ok "$dom" 1 31 "" day-of-month || rc=1
    cron_field_ok "$mon" 1 12 "_ jan feb mar apr may jun jul aug sep oct nov dec" month || rc=1
    cron_field_ok "$dow" 0 7 "sun mon tue wed thu fri sat" day-of-week || rc=1
    # cron turns an unescaped % into a newline: a command with one does not do what it says.
    if [[ $cmd =~ (^|[^\\])% ]]; then
        echo "the command has an unescaped % (cron makes it a newline): $cmd" >&2
        rc=1
    fi
    if ! sh -n -c "$cmd" 2>"$work/sh-n.err"; then
        echo "the command is not valid sh: $(cat "$work/sh-n.err")" >&2
        rc=1
    fi
    return $rc
}

check_cron_parser() {
    # The parser itself must reject what cron rejects, or it proves nothing.
    local good=("15 2 * * * true" "*/10 0-6,22,23 1-31/2 jan-dec mon-fri true" "0 0 1 1 0 true" "59 23 31 12 7 true")
    local bad=("60 2 * * * true" "15 24 * * * true" "15 2 0 * * true" "15 2 * 13 * true" "15 2 * * 8 true"
               "15 2 * * true" "15 2 * * * date +%F" "5-1 2 * * * true" "*/0 2 * * * true" "1,,2 2 * * * true"
               "15 2 * foo * true" "15 2 * * * echo 'unclosed")
    local l
    for l in "${good[@]}"; do cron_line_ok "$l" 2>/dev/null || fail "cron parser rejects a valid line: $l"; done
    for l in "${bad[@]}"; do cron_line_ok "$l" 2>/dev/null && fail "cron parser accepts an invalid line: $l"; done
    ok "cron parser self-check (${#good[@]} valid, ${#bad[@]} invalid lines)"
}

check_cron_doc() {
    local doc=$src/docs/scheduling.md
    [[ -f $doc ]] || { fail "$doc is missing"; return; }
    # The lines of every ```cron block.
    local jobs=0 in_block=0 line
    while IFS= read -r line; do
        if [[ $line == '```cron' ]]; then in_block=1; continue; fi
        if [[ $in_block == 1 && $line == '```' ]]; then in_block=0; continue; fi
        [[ $in_block == 1 ]] || continue
        [[ -z ${line// /} || $line =~ ^[[:space:]]*# ]] && continue
        [[ $line =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] && continue  # MAILTO=..., PATH=...
        jobs=$((jobs + 1))
        if cron_line_ok "$line"; then ok "cron line parses: $line"; else fail "cron line in $doc: $line"; fi
        # The pull's exit code (3 when a source failed) must not stop the audit.
        if [[ $line == *"stackaudit pull"* ]]; then
            local after_pull=${line#*stackaudit pull}
            local joiner
            joiner=$(grep -oE '(&&|\|\||;)' <<<"$after_pull" | head -n 1)
            [[ $joiner == ";" ]] || fail "the cron line joins pull and audit with '$joiner': a failed pull would skip the audit"
        fi
        [[ $line == *"stackaudit audit"* ]] || fail "the cron line does not run stackaudit audit: $line"
    done <"$doc"
    ((jobs > 0)) || fail "no job line in a \`\`\`cron block of $doc"
}

# ---------------------------------------------------------------------------------------------
# systemd units

# Keys this project's units may use, by section (a subset of systemd's; extend when a unit
# gains a key). The check catches typos and keys put in the wrong section.
declare -A known_keys=(
    [Unit]="Description Documentation Wants Requires After Before OnFailure OnSuccess ConditionPathExists StartLimitIntervalSec StartLimitBurst"
    [Service]="Type User Group EnvironmentFile Environment WorkingDirectory ExecStartPre ExecStart ExecStartPost ExecStopPost TimeoutStartSec Nice IOSchedulingClass NoNewPrivileges ProtectSystem ProtectHome PrivateTmp PrivateDevices ProtectKernelTunables ProtectKernelModules ProtectKernelLogs ProtectControlGroups ProtectClock ProtectHostname RestrictNamespaces RestrictRealtime RestrictSUIDSGID LockPersonality MemoryDenyWriteExecute RemoveIPC CapabilityBoundingSet RestrictAddressFamilies SystemCallArchitectures SystemCallFilter UMask ReadWritePaths ReadOnlyPaths StateDirectory LogsDirectory SuccessExitStatus"
    [Timer]="OnCalendar Persistent RandomizedDelaySec AccuracySec Unit OnBootSec OnUnitActiveSec"
    [Install]="WantedBy RequiredBy Alias"
)

# Sections, Key=Value lines with known keys, and the settings scheduling relies on.
unit_syntax_ok() {
    local file=$1 section="" n=0 line key rc=0
    while IFS= read -r line || [[ -n $line ]]; do
        n=$((n + 1))
        [[ -z ${line// /} || $line =~ ^[#\;] ]] && continue
        if [[ $line =~ ^\[([A-Za-z]+)\]$ ]]; then
            section=${BASH_REMATCH[1]}
            [[ -n ${known_keys[$section]+x} ]] || { echo "$file:$n: unknown section [$section]" >&2; rc=1; }
            continue
        fi
        if [[ ! $line =~ ^([A-Za-z]+)=(.*)$ ]]; then
            echo "$file:$n: not a Key=Value line: $line" >&2
            rc=1
            continue
        fi
        key=${BASH_REMATCH[1]}
        [[ -n $section ]] || { echo "$file:$n: $key= before any [Section]" >&2; rc=1; continue; }
        [[ " ${known_keys[$section]:-} " == *" $key "* ]] || { echo "$file:$n: unknown key $key= in [$section]" >&2; rc=1; }
        [[ $line == *\\ ]] && { echo "$file:$n: line continuation is not used in these units" >&2; rc=1; }
    done <"$file"
    return $rc
}

check_unit_requirements() {
    local service=$1 timer=$2
    local want
    for want in '^Type=oneshot$' '^User=stackaudit$' '^EnvironmentFile=' '^ReadWritePaths=' '^ProtectSystem=strict$' \
                '^NoNewPrivileges=yes$' '^OnFailure=' '^ExecStartPre=-.*stackaudit pull' '^ExecStart=.*stackaudit audit'; do
        grep -qE "$want" "$service" || fail "$service has no line matching $want"
    done
    for want in '^OnCalendar=' '^Persistent=true$' '^RandomizedDelaySec=' '^WantedBy=timers.target$'; do
        grep -qE "$want" "$timer" || fail "$timer has no line matching $want"
    done
    ok "units carry the scheduling settings (oneshot, user, env file, sandbox, OnFailure, Persistent timer)"
}

check_units() {
    local dir=$src/docs/systemd
    local service=$dir/stackaudit.service timer=$dir/stackaudit.timer f
    for f in "$service" "$timer"; do [[ -f $f ]] || { fail "$f is missing"; return; }; done
    check_unit_requirements "$service" "$timer"

    # The syntax check runs everywhere, so a unit cannot rot on machines without systemd.
    local self=0
    for f in "$dir"/*.service "$dir"/*.timer; do
        if unit_syntax_ok "$f"; then ok "unit syntax: $(basename "$f")"; else fail "unit syntax: $f"; self=1; fi
    done
    # The checker must reject what is wrong, or it proves nothing.
    printf '[Service]\nTpye=oneshot\n' >"$work/typo.service"
    printf 'ExecStart=/bin/true\n' >"$work/nosection.service"
    printf '[Service]\nExecStart /bin/true\n' >"$work/noequals.service"
    for f in typo nosection noequals; do
        unit_syntax_ok "$work/$f.service" 2>/dev/null && fail "the unit syntax check accepts $f.service"
    done

    if ! command -v systemd-analyze >/dev/null 2>&1; then
        echo "note: systemd-analyze is not installed; checked the units with the Key=Value syntax check only"
        return
    fi
    # verify also checks that executables exist: point the installed paths at the test's binary
    # (or /bin/true), beside the alert template that OnFailure= names.
    local vdir=$work/units exe=/bin/true
    [[ -x $bin ]] && exe=$(readlink -f "$bin")
    mkdir -p "$vdir"
    for f in "$dir"/*.service "$dir"/*.timer; do
        sed "s#/usr/local/bin/stackaudit#$exe#g" "$f" >"$vdir/$(basename "$f")"
    done
    # systemd-analyze verify only warns (exit 0) on unknown keys and bad values: read its output.
    local out rc
    out=$(cd "$vdir" && SYSTEMD_LOG_COLOR=0 timeout 60 systemd-analyze verify ./stackaudit.service ./stackaudit.timer 2>&1)
    rc=$?
    local problems
    problems=$(grep -E 'stackaudit[^ ]*\.(service|timer)' <<<"$out" || true)
    if [[ $rc == 0 && -z $problems ]]; then
        ok "systemd-analyze verify: stackaudit.service and stackaudit.timer"
        [[ -n $out ]] && echo "  (verify said: ${out//$'\n'/ | })"
    elif [[ -n $problems ]]; then
        fail "systemd-analyze verify reports problems in the units:"
        echo "$problems" >&2
    else
        # In containers verify can fail for reasons outside the units (no systemd manager, no
        # /run/systemd, seccomp): the syntax check above is then the check that counts.
        echo "note: systemd-analyze verify could not run here (exit $rc): ${out//$'\n'/ | }"
        echo "note: fell back to the Key=Value syntax check of the units (passed: $([[ $self == 0 ]] && echo yes || echo no))"
    fi
}

# ---------------------------------------------------------------------------------------------
# stackaudit graph

run_graph_dot() {
    local cfg=$src/sample_data/northwind/stackaudit.yaml
    local out rc
    "$bin" graph --config "$cfg" --format dot >"$work/graph.dot" 2>"$work/graph.err"
    rc=$?
    [[ $rc == 0 ]] || { fail "graph exited $rc: $(cat "$work/graph.err")"; return; }
    head -n 1 "$work/graph.dot" | grep -q '^digraph ' || fail "the output does not start with digraph"
    grep -q '"tool:Salesforce"' "$work/graph.dot" || fail "no Salesforce node"
    grep -q ' -> ' "$work/graph.dot" || fail "no edges"
    [[ $(tail -n 1 "$work/graph.dot") == "}" ]] || fail "the output does not end with }"
    ok "graph --format dot: $(grep '^  *"tool:' "$work/graph.dot" | grep -vc ' -> ') tool nodes, $(grep -c ' -> ' "$work/graph.dot") edges"

    # The same inputs give the same bytes; --out writes the same graph to a file.
    "$bin" graph --config "$cfg" --out "$work/out/graph.dot" 2>/dev/null || fail "graph --out failed"
    cmp -s "$work/graph.dot" "$work/out/graph.dot" || fail "graph --out differs from stdout (or the run is not deterministic)"
    ls "$work/out" | grep -v '^graph.dot$' && fail "graph --out left a temporary file behind"

    "$bin" graph --config "$cfg" --department marketing --no-people >"$work/marketing.dot" 2>"$work/marketing.err" ||
        fail "graph --department marketing --no-people: $(cat "$work/marketing.err")"
    grep -q '"person:' "$work/marketing.dot" && fail "--no-people still has people"
    grep -q '"tool:' "$work/marketing.dot" || fail "--department marketing has no tools"
    "$bin" graph --config "$cfg" --tool salesforce >"$work/sf.dot" 2>/dev/null || fail "graph --tool salesforce failed"
    (($(wc -l <"$work/sf.dot") < $(wc -l <"$work/graph.dot"))) || fail "--tool salesforce is not smaller than the whole graph"

    # A filter naming nothing is a mistake to report, not an empty graph.
    "$bin" graph --config "$cfg" --tool Salesforc >/dev/null 2>"$work/typo.err"
    rc=$?
    [[ $rc == 2 ]] || fail "graph --tool Salesforc exited $rc, expected 2"
    grep -q 'did you mean "Salesforce"' "$work/typo.err" || fail "no did-you-mean for --tool Salesforc: $(cat "$work/typo.err")"
    "$bin" graph --config "$cfg" --format svg >/dev/null 2>&1
    rc=$?
    [[ $rc == 2 ]] || fail "graph --format svg exited $rc, expected 2"

    if command -v dot >/dev/null 2>&1; then
        for f in graph marketing sf; do
            dot -Tsvg "$work/$f.dot" -o "$work/$f.svg" || fail "dot -Tsvg rejects $f.dot"
        done
        ok "Graphviz dot -Tsvg accepts the graphs"
    else
        echo "note: Graphviz dot is not installed; skipped rendering the graphs (optional)"
    fi
}

case $case_name in
scheduling)
    check_cron_parser
    check_cron_doc
    check_units
    ;;
graph_dot) run_graph_dot ;;
*)
    echo "unknown case $case_name" >&2
    exit 2
    ;;
esac

if ((failures > 0)); then
    echo "$failures check(s) failed" >&2
    exit 1
fi
echo "all checks passed"
