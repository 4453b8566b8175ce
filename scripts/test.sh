#!/usr/bin/env bash
# Quick start, command two: install what is missing, build with tests, run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=$(scripts/setup.sh build/release)
cd "$build_dir"
ctest --output-on-failure -j"$(nproc)" --timeout 600
