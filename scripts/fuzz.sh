#!/usr/bin/env bash
# Builds the libFuzzer targets (clang-19, ASan + UBSan), seeds their corpora and runs each for a
# given time, one after the other (docs/fuzzing.md).
#
# Usage: scripts/fuzz.sh [TARGET|all] [SECONDS]     (default: all, 600 seconds each)
#   TARGET is one of fuzz/targets.cmake's names: csv okta_log vendor_pages vendor_exports pull
#   expr yaml http_headers time.
# Environment: FUZZ_NICE (default 10), FUZZ_ARGS (extra libFuzzer flags), FUZZ_KEEP_GOING=1
# (libFuzzer's fork mode with one worker: keeps fuzzing after a crash, timeout or OOM and saves
# each, for a target with a known finding that cannot be fixed yet).
#
# Output under build/fuzz/: corpus/<target>/ (seeds plus everything the fuzzer found new; kept
# between runs), crashes/<target>/ (crash-*, timeout-*, oom-*, leak-* inputs), logs/<target>/
# (libFuzzer's log), and one summary line per target here and in summary.tsv.
# Exit status: 0 when no target found anything, 1 when one did, 2 on a usage or setup error.
set -euo pipefail

# All in a function: bash then parses the whole script before running it, so editing the file
# while a long run is going does not derail it.
main() {
  cd "$(dirname "$0")/.."

  all_targets=(csv okta_log vendor_pages vendor_exports pull expr yaml http_headers time)
  target=${1:-all}
  seconds=${2:-600}
  nice_level=${FUZZ_NICE:-10}
  build=build/fuzz

  if [[ ! "$seconds" =~ ^[0-9]+$ ]] || ((seconds < 1)); then
    echo "fuzz: SECONDS must be a positive whole number, not '$seconds'" >&2
    return 2
  fi
  if [ "$target" = all ]; then
    targets=("${all_targets[@]}")
  elif [[ " ${all_targets[*]} " == *" $target "* ]]; then
    targets=("$target")
  else
    echo "fuzz: unknown target '$target'; targets: ${all_targets[*]} (or all)" >&2
    return 2
  fi

  # clang-19 and its libFuzzer/sanitizer runtimes come from Debian 12's apt (the default clang 14
  # cannot compile libstdc++ 12's <expected>).
  if ! command -v clang++-19 >/dev/null || ! dpkg-query -W -f='${Status}' libclang-rt-19-dev 2>/dev/null | grep -q "install ok installed"; then
    if [ "$(id -u)" -ne 0 ]; then
      echo "fuzz: clang-19 is missing and installing it needs root: sudo apt-get install clang-19 libclang-rt-19-dev" >&2
      return 2
    fi
    echo "fuzz: installing clang-19 libclang-rt-19-dev" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clang-19 libclang-rt-19-dev >&2
  fi

  if [ ! -f "$build/build.ninja" ]; then
    nice -n "$nice_level" cmake --preset fuzz >&2
  fi
  build_targets=()
  for t in "${targets[@]}"; do build_targets+=("fuzz_$t"); done
  nice -n "$nice_level" cmake --build "$build" -j2 --target "${build_targets[@]}" >&2

  python3 fuzz/seed.py "$build/corpus" "${targets[@]}" >&2

  # Sanitizer reports with a stack, so a finding names the code that failed.
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

  found_any=0
  summary="$build/summary.tsv"
  [ -f "$summary" ] || printf 'date\ttarget\tseconds\texecutions\texec_per_s\tcov\tft\tcorpus\tcrashes\n' >"$summary"
  for t in "${targets[@]}"; do
    corpus="$build/corpus/$t"
    crashes="$build/crashes/$t"
    logs="$build/logs/$t"
    mkdir -p "$corpus" "$crashes" "$logs"
    rm -f "$logs"/fuzz-*.log
    before=$(find "$crashes" -type f | wc -l)
    dict=()
    [ -f "fuzz/$t.dict" ] && dict=("-dict=$PWD/fuzz/$t.dict")
    echo "fuzz: running $t for ${seconds}s (log: $logs/)" >&2
    started=$(date +%s)
    # The harnesses write the files they parse into $TMPDIR: a RAM disk when there is one, since
    # the pager fsyncs every page it saves. Each run gets its own, removed afterwards.
    tmp_root=/tmp
    [ -d /dev/shm ] && [ -w /dev/shm ] && tmp_root=/dev/shm
    run_tmp=$(mktemp -d "$tmp_root/stackaudit-fuzz.XXXXXX")
    # -jobs=1 -workers=1: one fuzzing process whose output goes to fuzz-0.log in the cwd.
    # FUZZ_KEEP_GOING: -fork=1, one worker process restarted after each finding.
    mode=(-jobs=1 -workers=1)
    [ "${FUZZ_KEEP_GOING:-0}" = 1 ] && mode=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
    (cd "$logs" && TMPDIR="$run_tmp" nice -n "$nice_level" "$OLDPWD/$build/fuzz/fuzz_$t" "$OLDPWD/$corpus" \
        "${dict[@]}" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$OLDPWD/$crashes/" "${mode[@]}" ${FUZZ_ARGS:-} >fuzz-fork.log 2>&1) || true
    rm -rf "$run_tmp"
    elapsed=$(( $(date +%s) - started ))
    log="$logs/fuzz-0.log"
    [ "${FUZZ_KEEP_GOING:-0}" = 1 ] && log="$logs/fuzz-fork.log"
    final_stat() { sed -n "s/^stat::$1: *//p" "$log" | tail -1; }
    execs=$(final_stat number_of_executed_units)
    rate=$(final_stat average_exec_per_sec)
    if [ -z "$execs" ]; then  # fork mode: "#EXECS: cov: .. ft: .. corp: .. exec/s: .." progress lines
      execs=$(sed -n 's/^#\([0-9]*\): cov:.*/\1/p' "$log" | tail -1)
      [ -n "$execs" ] && rate=$((execs / (elapsed > 0 ? elapsed : 1)))
    fi
    last=$(grep -Eo 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$log" | tail -1 || true)
    cov=$(awk '{print $2}' <<<"$last")
    ft=$(awk '{print $4}' <<<"$last")
    corp=$(awk '{print $6}' <<<"$last")
    after=$(find "$crashes" -type f | wc -l)
    new=$((after - before))
    ((new > 0)) && found_any=1
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$t" "$elapsed" \
      "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$new" >>"$summary"
    printf 'fuzz: %-15s %5ss  executions %-10s exec/s %-6s cov %-6s ft %-6s corpus %-6s crashes %s\n' \
      "$t" "$elapsed" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$new"
    if ((new > 0)); then
      find "$crashes" -type f -newermt "@$started" -printf '      %p\n'
      grep -m1 -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:' "$log" | sed 's/^/      /' || true
    fi
  done
  return "$found_any"
}

main "$@"
