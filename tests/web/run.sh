#!/usr/bin/env bash
# Drives the web dashboard in Debian's Chromium through playwright-core (browser_test.mjs): sign-in,
# deadline counters and lists, a case page with a transition, the language switch, and what a
# consultancy may not see.
#
# Usage: tests/web/run.sh BUILD_DIR BINARY SOURCE_DIR
#        tests/web/run.sh --install-only BUILD_DIR SOURCE_DIR
#   BUILD_DIR   build tree, with the built dashboard in BUILD_DIR/web. The pinned npm packages
#               are installed in BUILD_DIR/web-test-npm, and the screenshots go to
#               BUILD_DIR/web-test-output.
#   BINARY      the sitecycle binary to serve the demo with
#   SOURCE_DIR  the repository root
# --install-only installs the packages and stops, so that test.sh can download them before
# ctest runs the test under its time limit.
# Exit status: 0 when every scenario passes, 1 when any fails, 2 on a usage error. Needs node
# 20.19 or later, npm and /usr/bin/chromium (Debian's chromium package). The first run downloads
# the packages from the npm registry. playwright-core downloads no browser.
set -euo pipefail

source "$(dirname "$0")/../npm_test_runner.sh"
sitecycle_test_read_arguments web "$@"
here="$source_dir/tests/web"
npm_dir="$build_dir/web-test-npm"
sitecycle_test_install_packages web "$npm_dir"
[ "$install_only" = true ] && exit 0

[ -f "$build_dir/web/index.html" ] || { echo "error: $build_dir/web/index.html not found; build the dashboard first (./run.sh or test.sh builds it)" >&2; exit 1; }

# playwright-core is a CommonJS package, loaded with require() through NODE_PATH.
NODE_PATH="$npm_dir/node_modules" node "$here/browser_test.mjs" --binary "$binary" --source "$source_dir" --build "$build_dir"
