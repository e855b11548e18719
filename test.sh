#!/usr/bin/env bash
# Installs what is missing, builds with AddressSanitizer and UndefinedBehaviorSanitizer (-O0 -g)
# in build/asan, and runs every test through ctest. Exits non-zero when any test fails.
set -euo pipefail
cd "$(dirname "$0")"
source .ci/packages.sh

sitecycle_install_packages "${SITECYCLE_BUILD_PACKAGES[@]}" "${SITECYCLE_TEST_PACKAGES[@]}"
# tests/calendars compares the shipped holiday calendars with this npm package.
sitecycle_install_chinese_days
# tests/openapi lints the OpenAPI document and validates live responses with pinned npm packages.
sitecycle_install_npm
bash tests/openapi/run.sh --install-only build/asan "$PWD"

# The browser tests drive the dashboard that the test server serves from build/asan/web, in
# Debian's Chromium through pinned npm packages.
sitecycle_build_web build/asan/web
bash tests/web/run.sh --install-only build/asan "$PWD"

cmake -S . -B build/asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSITECYCLE_SANITIZE=ON -DCMAKE_CXX_FLAGS="-O0 -g"
cmake --build build/asan -- -j"$(nproc)"

# Working-day and date logic must not depend on the host's time zone: run under UTC.
export TZ=UTC
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

# The PostgreSQL store's tests connect to $SITECYCLE_TEST_POSTGRESQL. The cluster starts after the
# TZ export, so initdb sets its time zone to UTC, and an EXIT trap stops it whatever ctest returns.
source tests/postgresql/throwaway_cluster.sh
sitecycle_start_throwaway_postgresql
ctest --test-dir build/asan --output-on-failure -j"$(nproc)" --timeout 300
