# Debian 12 packages that sitecycle builds, runs and tests with, and an installer that adds the
# missing ones. Sourced by run.sh and test.sh.

# Build and run time. libpq-dev is for SOCI's postgresql backend, which links libpq.
SITECYCLE_BUILD_PACKAGES=(
  g++ cmake ninja-build ccache pkg-config
  libboost1.81-dev libsoci-dev libsqlite3-dev libpq-dev libyaml-cpp-dev nlohmann-json3-dev
  libfmt-dev libspdlog-dev libcli11-dev libhowardhinnant-date-dev tzdata libssl-dev libsodium-dev libcurl4-openssl-dev
  libxlsxwriter-dev
)
# The web dashboard (api/web) is built with node and npm packages from its package-lock.json.
SITECYCLE_WEB_PACKAGES=(nodejs)
# Tests only. node runs the npm package that the calendar tests compare the holiday calendars with.
# postgresql pulls postgresql-15, whose server tests/postgresql/throwaway_cluster.sh starts for the
# tests. Installing it also creates the system cluster postgresql@15-main on port 5432, and starts
# it where services can run. The tests neither use nor touch that cluster.
# chromium runs the browser tests of the dashboard, with fonts-noto-cjk so that Chinese text has
# its glyphs in the screenshots.
SITECYCLE_TEST_PACKAGES=(catch2 libcpp-httplib-dev nodejs postgresql chromium fonts-noto-cjk)

# That npm package, pinned to one version so that its holiday data cannot change under the tests.
SITECYCLE_CHINESE_DAYS_VERSION=1.5.7
SITECYCLE_NPM_PREFIX=build/npm

# Installs the named packages that are not installed yet; prints nothing when all are present.
sitecycle_install_packages() {
  local missing=()
  local package
  for package in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$package")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0

  echo "installing missing Debian packages: ${missing[*]}"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "error: missing packages ${missing[*]}; run as root or install them with apt-get" >&2
      return 1
    fi
    sudo=(sudo)
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Installs Debian's npm when there is no npm command. A nodejs package from elsewhere (NodeSource's,
# for one) ships its own npm and conflicts with Debian's npm package.
sitecycle_install_npm() {
  command -v npm >/dev/null 2>&1 && return 0
  sitecycle_install_packages npm
}

# Installs chinese-days under $SITECYCLE_NPM_PREFIX unless that exact version is there already.
# Run from the repository root.
sitecycle_install_chinese_days() {
  local manifest="$PWD/$SITECYCLE_NPM_PREFIX/node_modules/chinese-days/package.json"
  local installed
  installed=$(node -p 'require(process.argv[1]).version' "$manifest" 2>/dev/null || true)
  [ "$installed" = "$SITECYCLE_CHINESE_DAYS_VERSION" ] && return 0

  sitecycle_install_npm
  echo "installing chinese-days@$SITECYCLE_CHINESE_DAYS_VERSION under $SITECYCLE_NPM_PREFIX"
  npm install --no-audit --no-fund --prefix "$SITECYCLE_NPM_PREFIX" "chinese-days@$SITECYCLE_CHINESE_DAYS_VERSION"
}

# Builds the web dashboard (api/web) into the folder $1, which `sitecycle serve --web` serves.
# Installs the locked npm packages when package-lock.json changed since the last install, and
# rebuilds only when a source file is newer than the last build. Run from the repository root.
sitecycle_build_web() {
  local out=$1
  sitecycle_install_packages "${SITECYCLE_WEB_PACKAGES[@]}"
  sitecycle_install_npm
  # npm writes node_modules/.package-lock.json at every install.
  if [ ! -f api/web/node_modules/.package-lock.json ] ||
    [ api/web/package-lock.json -nt api/web/node_modules/.package-lock.json ]; then
    echo "installing the dashboard's npm packages into api/web/node_modules"
    npm ci --prefix api/web --no-audit --no-fund >/dev/null
  fi
  if [ -f "$out/index.html" ] &&
    [ -z "$(find api/web -path api/web/node_modules -prune -o -newer "$out/index.html" -type f -print -quit)" ]; then
    return 0
  fi
  echo "building the web dashboard into $out"
  SITECYCLE_WEB_OUT="$PWD/$out" npm run --prefix api/web --silent build >/dev/null
}
