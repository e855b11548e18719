# A throwaway PostgreSQL cluster for the tests: initdb in a fresh temporary folder, a server on a
# free port of 127.0.0.1, and removal of both when the calling shell exits. Sourced by test.sh.
# Needs Debian's PostgreSQL server packages (postgresql-15 or another major version). It never
# uses or touches the system cluster that the postgresql package creates on port 5432.

# State of the cluster this shell started. Empty when none is running.
_sitecycle_postgresql_dir=""
_sitecycle_postgresql_bin=""
_sitecycle_postgresql_runner=()

# Prints the bin folder of a PostgreSQL server: pg_config --bindir when it contains initdb and
# pg_ctl, else the highest version under /usr/lib/postgresql. libpq-dev's pg_config reports
# libpq's version, which can differ from the installed server's.
_sitecycle_find_postgresql_bin() {
  local bin
  bin=$(pg_config --bindir 2>/dev/null || true)
  if [ -n "$bin" ] && [ -x "$bin/initdb" ] && [ -x "$bin/pg_ctl" ]; then
    echo "$bin"
    return 0
  fi
  for bin in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V -r); do
    if [ -x "$bin/initdb" ] && [ -x "$bin/pg_ctl" ]; then
      echo "$bin"
      return 0
    fi
  done
  echo "error: no PostgreSQL server found (no initdb in pg_config --bindir or /usr/lib/postgresql/*/bin); install the postgresql package" >&2
  return 1
}

# Sets _sitecycle_postgresql_runner to the command prefix that runs the server's programs. initdb
# rejects root, so root runs them as the postgres user.
_sitecycle_choose_postgresql_user() {
  if [ "$(id -u)" -eq 0 ]; then
    if ! id -u postgres >/dev/null 2>&1; then
      echo "error: the postgres user is missing, and initdb does not run as root; install the postgresql package" >&2
      return 1
    fi
    _sitecycle_postgresql_runner=(runuser -u postgres --)
  elif [ "$(id -un)" != postgres ] && id -u postgres >/dev/null 2>&1 && command -v sudo >/dev/null 2>&1; then
    _sitecycle_postgresql_runner=(sudo -u postgres)
  else
    _sitecycle_postgresql_runner=()
  fi
}

# Runs a command as the cluster's user. The command starts in /, because initdb fails when that
# user cannot read the current folder.
_sitecycle_as_postgresql_user() {
  (cd / && "${_sitecycle_postgresql_runner[@]}" "$@")
}

# Prints a TCP port of 127.0.0.1 that nothing listens on. NOTE: another process can take the port
# before the server binds it. The start then fails, with "could not bind" in the server log.
_sitecycle_find_free_port() {
  local port
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || true)
  if [[ "$port" =~ ^[0-9]+$ ]]; then
    echo "$port"
    return 0
  fi

  # Without python3, try 200 ports upwards from a random one in 20000-59999.
  local start=$((20000 + RANDOM % 40000))
  local listeners
  for ((port = start; port < start + 200; port++)); do
    if command -v ss >/dev/null 2>&1; then
      listeners=$(ss -Hltn "sport = :$port" 2>/dev/null || true)
      [ -z "$listeners" ] && echo "$port" && return 0
    elif ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      # The connection was refused, so nothing listens on the port.
      echo "$port"
      return 0
    fi
  done
  echo "error: found no free TCP port in $start-$((start + 199)) on 127.0.0.1" >&2
  return 1
}

# Stops the cluster and returns the status it was called with, so that an EXIT trap chained
# after it still reads the shell's exit status in $?.
_sitecycle_stop_keeping_status() {
  local status=$?
  sitecycle_stop_throwaway_postgresql
  return "$status"
}

# Makes the EXIT trap of the current shell stop the cluster, and keeps the trap's commands that
# are already there.
_sitecycle_stop_on_exit() {
  local previous
  previous=$(trap -p EXIT)
  # trap -p prints "trap -- 'COMMANDS' EXIT" with COMMANDS quoted for the shell, and eval unquotes
  # them.
  if [ -n "$previous" ]; then
    previous=${previous#"trap -- "}
    eval "previous=${previous%" EXIT"}"
  fi
  case "$previous" in
    *sitecycle_stop_*) ;;
    "") trap -- sitecycle_stop_throwaway_postgresql EXIT ;;
    # Under set -e, a non-zero status would end the trap before the previous commands run.
    # "&& true" prevents that and keeps the status in $?.
    *) trap -- "_sitecycle_stop_keeping_status && true; $previous" EXIT ;;
  esac
}

# Starts a throwaway cluster and exports its address and folders:
#   SITECYCLE_TEST_POSTGRESQL      postgresql://postgres@127.0.0.1:PORT/postgres (trust, no password)
#   SITECYCLE_TEST_POSTGRESQL_DIR  the temporary folder: data/, postgresql.log and the unix socket
#   SITECYCLE_TEST_POSTGRESQL_BIN  the server's bin folder, with psql, createdb and pg_ctl
#   SITECYCLE_TEST_POSTGRESQL_RESTART  a shell command that restarts the server (fast shutdown),
#                                      for the tests of nodes that outlive a restart
# With the argument "durable" the server keeps PostgreSQL's default durability (fsync and
# synchronous commit on), as benchmarks need; tests leave it out.
# The cluster stops when the shell exits, also on an error under set -e, SIGINT, SIGTERM or SIGHUP.
# Returns non-zero, with initdb's output or the server log's tail on stderr, when it fails.
sitecycle_start_throwaway_postgresql() {
  if [ -n "$_sitecycle_postgresql_dir" ]; then
    echo "error: a throwaway PostgreSQL is already running in $_sitecycle_postgresql_dir; call sitecycle_stop_throwaway_postgresql first" >&2
    return 1
  fi
  local bin port dir output
  bin=$(_sitecycle_find_postgresql_bin) || return 1
  _sitecycle_choose_postgresql_user || return 1
  port=$(_sitecycle_find_free_port) || return 1

  # The folder belongs to the cluster's user, so that initdb and the server can write in it.
  # Mode 755 lets other users reach the unix socket. data/ stays at mode 700 and the log at 600.
  dir=$(_sitecycle_as_postgresql_user mktemp -d -t sitecycle-postgresql.XXXXXX) || return 1
  _sitecycle_as_postgresql_user chmod 755 "$dir" || return 1
  _sitecycle_postgresql_dir=$dir
  _sitecycle_postgresql_bin=$bin
  # Register the stop before initdb, so that a failure or signal from here on removes the folder.
  _sitecycle_stop_on_exit

  # Minimal systems may lack the C.UTF-8 locale, and initdb then uses C. grep runs without -q and
  # reads all of locale's output, so that pipefail gets no SIGPIPE status from locale.
  local locale=C
  if locale -a 2>/dev/null | grep -ixE 'C\.utf-?8' >/dev/null; then
    locale=C.UTF-8
  fi
  if ! output=$(_sitecycle_as_postgresql_user "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale="$locale" 2>&1); then
    echo "$output" >&2
    echo "error: initdb failed in $dir/data" >&2
    sitecycle_stop_throwaway_postgresql
    return 1
  fi

  # Unless asked for durability, fsync and synchronous commit are off because the data is thrown
  # away. pg_ctl passes -o through sh, so the single quotes keep a folder name with spaces
  # together.
  local options="-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='$dir'"
  options+=" -c max_connections=200"
  if [ "${1:-}" != durable ]; then
    options+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  fi
  if ! _sitecycle_as_postgresql_user "$bin/pg_ctl" -D "$dir/data" -w -t 60 -l "$dir/postgresql.log" -o "$options" start >/dev/null; then
    echo "error: PostgreSQL failed to start on 127.0.0.1:$port; the end of $dir/postgresql.log:" >&2
    _sitecycle_as_postgresql_user tail -n 30 "$dir/postgresql.log" >&2 || true
    sitecycle_stop_throwaway_postgresql
    return 1
  fi

  export SITECYCLE_TEST_POSTGRESQL="postgresql://postgres@127.0.0.1:$port/postgres"
  export SITECYCLE_TEST_POSTGRESQL_DIR=$dir
  export SITECYCLE_TEST_POSTGRESQL_BIN=$bin
  # pg_ctl restart reuses the options of the first start, kept in data/postmaster.opts.
  export SITECYCLE_TEST_POSTGRESQL_RESTART="cd / && ${_sitecycle_postgresql_runner[*]} '$bin/pg_ctl' -D '$dir/data' -m fast -w -t 60 -l '$dir/postgresql.log' restart"
  echo "throwaway PostgreSQL on 127.0.0.1:$port (data in $dir)"
}

# Stops the cluster that sitecycle_start_throwaway_postgresql started, removes its folder and
# unsets the exported variables. Does nothing when no cluster is running, so it is safe to call
# twice. A fast stop that fails is followed by an immediate stop. When both fail, the folder stays
# and a later call tries again.
sitecycle_stop_throwaway_postgresql() {
  [ -n "$_sitecycle_postgresql_dir" ] || return 0
  local dir=$_sitecycle_postgresql_dir
  local pg_ctl="$_sitecycle_postgresql_bin/pg_ctl"

  # pg_ctl status exits 0 only when a server runs in the data folder.
  if _sitecycle_as_postgresql_user "$pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    if ! _sitecycle_as_postgresql_user "$pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null &&
      ! _sitecycle_as_postgresql_user "$pg_ctl" -D "$dir/data" -m immediate -w -t 60 stop >/dev/null; then
      local runner="${_sitecycle_postgresql_runner[*]}"
      echo "error: could not stop the throwaway PostgreSQL server in $dir/data; stop it with: ${runner:+$runner }$pg_ctl -D $dir/data -m immediate stop" >&2
      return 1
    fi
  fi
  _sitecycle_as_postgresql_user rm -rf "$dir" || echo "warning: could not remove $dir" >&2

  _sitecycle_postgresql_dir=""
  unset SITECYCLE_TEST_POSTGRESQL SITECYCLE_TEST_POSTGRESQL_DIR SITECYCLE_TEST_POSTGRESQL_BIN
  unset SITECYCLE_TEST_POSTGRESQL_RESTART
}
