#!/usr/bin/env bash
# Quick start, command one: install what is missing, build, and audit the bundled sample
# company. Prints the findings summary and writes out/northwind/findings.csv and .json.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=$(scripts/setup.sh build/release)
set +e
"$build_dir/src/cli/stackaudit" audit --config sample_data/northwind/stackaudit.yaml --out out/northwind "$@"
rc=$?
set -e
# Exit 1 only means "findings at or above --fail-on" when that flag is given; anything else
# (bad input, partial data, a crash) is passed on.
exit $rc
