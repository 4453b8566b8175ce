#!/usr/bin/env bash
# Installs what stackaudit needs from Debian 12 packages (only what is missing) and builds it.
# Usage: scripts/setup.sh [BUILD_DIR]   (default build/release). Prints the build dir's path last.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(g++ cmake ninja-build pkg-config libcurl4-openssl-dev libsimdjson-dev libboost-graph-dev
          libcli11-dev catch2 libyaml-cpp-dev libsqlite3-dev python3 openssl chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: these Debian packages are missing and installing them needs root: sudo apt-get install ${missing[*]}" >&2
    exit 2
  fi
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

build_dir=${1:-build/release}
build_type=${STACKAUDIT_BUILD_TYPE:-RelWithDebInfo}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="$build_type" -DSTACKAUDIT_DEV_TOLERANT=OFF \
  ${STACKAUDIT_CMAKE_ARGS:-} >&2
cmake --build "$build_dir" -j"$(nproc)" >&2
echo "$build_dir"
