#!/usr/bin/env bash
# Installs what is missing, builds Release in build/release, and serves the demo on
# 127.0.0.1:8080 in the foreground with its SQLite file at var/sitecycle.db.
# Extra arguments go to `sitecycle serve`, for example ./run.sh --listen 127.0.0.1:9090
set -euo pipefail
cd "$(dirname "$0")"
source .ci/packages.sh

sitecycle_install_packages "${SITECYCLE_BUILD_PACKAGES[@]}"

# The build is quiet unless it fails; its output is kept in build/release.log.
mkdir -p build
echo "building Release in build/release (the first build takes a few minutes)"
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DSITECYCLE_BUILD_TESTS=OFF > build/release.log 2>&1 ||
  { cat build/release.log >&2; exit 1; }
cmake --build build/release --target sitecycle -- -j"$(nproc)" >> build/release.log 2>&1 ||
  { tail -n 50 build/release.log >&2; exit 1; }

# The dashboard at http://127.0.0.1:8080/, built where the binary looks for it by default.
sitecycle_build_web build/release/web

mkdir -p var
exec build/release/api/cli/sitecycle serve --demo --db sqlite:var/sitecycle.db "$@"
