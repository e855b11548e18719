# Debian 12 packages that sitecycle builds, runs and tests with, and an installer that adds the
# missing ones. Sourced by run.sh and test.sh.

# Build and run time.
SITECYCLE_BUILD_PACKAGES=(
  g++ cmake ninja-build ccache pkg-config
  libboost1.81-dev libsoci-dev libsqlite3-dev libyaml-cpp-dev nlohmann-json3-dev
  libfmt-dev libspdlog-dev libcli11-dev libhowardhinnant-date-dev tzdata libssl-dev
)
# Tests only.
SITECYCLE_TEST_PACKAGES=(catch2 libcpp-httplib-dev)

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
