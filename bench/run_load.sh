#!/usr/bin/env bash
# Runs sitecycle_load in the configurations of docs/benchmarks.md: one node on SQLite, and one and
# two nodes on PostgreSQL (a throwaway cluster with default durability, started and stopped
# here). Each configuration gets a fresh database. Run from the repository root after building
# build/release-bench (see docs/benchmarks.md); extra arguments go to every sitecycle_load run.
set -euo pipefail
cd "$(dirname "$0")/.."
load=${SITECYCLE_LOAD:-build/release-bench/bench/sitecycle_load}
[ -x "$load" ] || { echo "error: $load not found; build it as described in docs/benchmarks.md" >&2; exit 2; }

source tests/postgresql/throwaway_cluster.sh
sitecycle_start_throwaway_postgresql durable
work=$(mktemp -d)
trap 'rm -rf "$work"; sitecycle_stop_throwaway_postgresql' EXIT
createdb="$SITECYCLE_TEST_POSTGRESQL_BIN/createdb"
server="${SITECYCLE_TEST_POSTGRESQL%/*}"

mkdir -p "$work/sqlite"
"$load" --db "sqlite:$work/sqlite/sitecycle.db" --documents "$work/sqlite" --nodes 1 "$@"
for nodes in 1 2; do
  database="load_${nodes}_nodes"
  "$createdb" --maintenance-db="$SITECYCLE_TEST_POSTGRESQL" "$database"
  mkdir -p "$work/$database"
  "$load" --db "$server/$database" --documents "$work/$database" --nodes "$nodes" "$@"
done
