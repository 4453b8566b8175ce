#!/usr/bin/env bash
# Approves golden-test output: moves every <name>.received.<ext> written by a failing golden
# test over its <name>.approved.<ext>. Review the difference first (the failing test prints
# the diff command).
#
#   scripts/approve-golden.sh                       # every tests/**/golden directory
#   scripts/approve-golden.sh tests/report/golden   # just these directories
#   scripts/approve-golden.sh -n [DIR...]           # show what would be approved, change nothing
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dry_run=0
if [[ "${1:-}" == "-n" || "${1:-}" == "--dry-run" ]]; then
  dry_run=1
  shift
fi
if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
  sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit 0
fi

dirs=()
if [[ $# -gt 0 ]]; then
  for dir in "$@"; do
    # Relative paths are taken from the current directory, then from the repository root.
    if [[ -d "$dir" ]]; then
      dirs+=("$dir")
    elif [[ -d "$repo_root/$dir" ]]; then
      dirs+=("$repo_root/$dir")
    else
      echo "approve-golden: no such directory: $dir" >&2
      exit 2
    fi
  done
else
  while IFS= read -r -d '' dir; do
    dirs+=("$dir")
  done < <(find "$repo_root/tests" -type d -name golden -print0 | sort -z)
fi

approved=0
for dir in "${dirs[@]}"; do
  while IFS= read -r -d '' received; do
    name="$(basename "$received")"
    target="$(dirname "$received")/${name/.received./.approved.}"
    if [[ $dry_run -eq 1 ]]; then
      echo "would approve: $target"
    else
      mv -f -- "$received" "$target"
      echo "approved: $target"
    fi
    approved=$((approved + 1))
  done < <(find "$dir" -maxdepth 1 -type f -name '*.received.*' -print0 | sort -z)
done

if [[ $approved -eq 0 ]]; then
  echo "approve-golden: nothing to approve (no *.received.* files in ${dirs[*]:-tests/**/golden})"
fi
