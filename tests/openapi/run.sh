#!/usr/bin/env bash
# Lints api/http/openapi.json with Redocly and checks the responses of a live demo server against
# it (check_responses.mjs).
#
# Usage: tests/openapi/run.sh BUILD_DIR BINARY SOURCE_DIR
#        tests/openapi/run.sh --install-only BUILD_DIR SOURCE_DIR
#   BUILD_DIR   build tree; the pinned npm packages are installed in BUILD_DIR/openapi-npm
#   BINARY      the sitecycle binary to serve the demo with
#   SOURCE_DIR  the repository root
# --install-only installs the packages and stops, so that test.sh can download them before
# ctest runs the check under its time limit.
# Exit status: 0 when lint reports no problem and every response conforms, 1 when anything
# fails, 2 on a usage error. Needs node 20.19 or later and npm; the first run downloads the
# packages from the npm registry.
set -euo pipefail

source "$(dirname "$0")/../npm_test_runner.sh"
sitecycle_test_read_arguments openapi "$@"
here="$source_dir/tests/openapi"
document="$source_dir/api/http/openapi.json"
npm_dir="$build_dir/openapi-npm"
sitecycle_test_install_packages openapi "$npm_dir"
[ "$install_only" = true ] && exit 0

# Lint. Redocly exits non-zero only for errors, so its JSON report is read to fail on warnings too.
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
echo "redocly lint $document"
lint_report="$npm_dir/lint-report.json"
lint_status=0
"$npm_dir/node_modules/.bin/redocly" lint --format json --config "$here/redocly.yaml" "$document" >"$lint_report" || lint_status=$?
node - "$lint_report" "$lint_status" <<'EOF' || exit 1
const fs = require('node:fs');
const [reportPath, status] = process.argv.slice(2);
let report;
try {
  report = JSON.parse(fs.readFileSync(reportPath, 'utf8'));
} catch (error) {
  console.error(`error: redocly lint exited with status ${status} and wrote no JSON report (${error.message})`);
  process.exit(1);
}
for (const problem of report.problems) {
  const where = problem.location?.[0];
  console.log(`${problem.severity} ${problem.ruleId} ${where?.pointer ?? ''} (line ${where?.start?.line ?? '?'}): ${problem.message}`);
}
const { errors, warnings } = report.totals;
console.log(`lint: ${errors} error(s), ${warnings} warning(s)`);
process.exit(errors + warnings > 0 || status !== '0' ? 1 : 0);
EOF

# Check live responses. ajv and ajv-formats are loaded through NODE_PATH.
NODE_PATH="$npm_dir/node_modules" node "$here/check_responses.mjs" --binary "$binary" --source "$source_dir"
