# Shared by the runners of the Node.js tests (tests/openapi/run.sh, tests/web/run.sh): their
# command line and the install of their pinned npm packages. Sourced; needs set -euo pipefail.
#
# Usage of a runner: run.sh BUILD_DIR BINARY SOURCE_DIR, or run.sh --install-only BUILD_DIR SOURCE_DIR

sitecycle_test_usage() {
  echo "usage: $0 BUILD_DIR BINARY SOURCE_DIR, or $0 --install-only BUILD_DIR SOURCE_DIR" >&2
  exit 2
}

# Reads the runner's arguments into install_only, build_dir, binary and source_dir (absolute),
# and checks that the binary runs and that $1 (the test's folder under tests/) has its lock file.
sitecycle_test_read_arguments() {
  local test_folder=$1
  shift
  install_only=false
  if [ "${1:-}" = "--install-only" ]; then
    install_only=true
    shift
    [ $# -eq 2 ] || sitecycle_test_usage
    set -- "$1" "" "$2"
  fi
  [ $# -eq 3 ] || sitecycle_test_usage
  build_dir=$1
  binary=$2
  source_dir=$(cd "$3" 2>/dev/null && pwd) || { echo "error: source folder $3 not found" >&2; sitecycle_test_usage; }
  [ "$install_only" = true ] || [ -x "$binary" ] || { echo "error: $binary is not an executable file" >&2; sitecycle_test_usage; }
  local lock="$source_dir/tests/$test_folder/package-lock.json"
  [ -f "$lock" ] || { echo "error: $lock not found; is $source_dir the repository root?" >&2; sitecycle_test_usage; }
}

# Installs the pinned packages of tests/$1 into the folder $2. npm ci reads the manifest and lock
# file in the prefix folder, so they are copied there. An unchanged lock file with its install in
# place is not installed again.
sitecycle_test_install_packages() {
  local here="$source_dir/tests/$1" npm_dir=$2
  mkdir -p "$npm_dir"
  if ! cmp -s "$here/package-lock.json" "$npm_dir/package-lock.json" || [ ! -f "$npm_dir/node_modules/.package-lock.json" ]; then
    cp "$here/package.json" "$here/package-lock.json" "$npm_dir/"
    echo "installing the packages of tests/$1/package-lock.json in $npm_dir"
    npm ci --prefix "$npm_dir" --no-audit --no-fund
  fi
}
