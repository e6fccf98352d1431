#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test suite, from Debian's package.
#   scripts/postgres.sh start   install if missing, init (once) and start; prints the URL
#   scripts/postgres.sh stop
# The cluster lives in target/postgres (port $PGPORT, else the first free one
# from 55432, loopback
# only, trust authentication, fsync off) and is made anew at each start when
# it is not running: nothing outside the work tree is touched.
set -euo pipefail
cd "$(dirname "$0")/.."

ROOT=$PWD/target/postgres
DATA=$ROOT/data
SOCKETS=$ROOT/run
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)

bin_dir() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}

# PostgreSQL refuses to run as root: run its tools as the `postgres` user
# the package creates (or as ourselves when we are not root).
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
start)
  if [ -z "$(bin_dir)" ]; then
    echo "installing PostgreSQL (Debian package postgresql)" >&2
    $SUDO apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  fi
  BIN=$(bin_dir)
  mkdir -p "$ROOT" "$SOCKETS"
  [ "$(id -u)" = 0 ] && chown postgres "$ROOT" "$SOCKETS"
  if ! { [ -f "$DATA/PG_VERSION" ] && [ -f "$ROOT/port" ] && as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }; then
    # Not running: a new cluster (the test databases of earlier runs go with
    # the old one), on a port nothing else listens on (another checkout's
    # cluster, say).
    PGPORT=${PGPORT:-}
    if [ -z "$PGPORT" ]; then
      for candidate in $(seq 55432 55499); do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then PGPORT=$candidate; break; fi
      done
    fi
    [ -n "$PGPORT" ] || { echo "no free port for PostgreSQL in 55432-55499" >&2; exit 1; }
    echo "$PGPORT" >"$ROOT/port"
    [ -f "$DATA/PG_VERSION" ] && { as_pg "$BIN/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1 || true; }
    rm -rf "$DATA"
    as_pg "$BIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --no-sync >/dev/null
    as_pg "$BIN/pg_ctl" -D "$DATA" -l "$ROOT/log" -w -t 60 start \
      -o "-p $PGPORT -k $SOCKETS -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" >/dev/null \
      || { echo "PostgreSQL did not start; its log:" >&2; tail -20 "$ROOT/log" >&2; exit 1; }
  fi
  echo "postgres://postgres@127.0.0.1:$(cat "$ROOT/port")/postgres"
  ;;
stop)
  BIN=$(bin_dir)
  if [ -n "$BIN" ] && [ -f "$DATA/PG_VERSION" ]; then
    as_pg "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null 2>&1 || true
  fi
  ;;
*)
  echo "usage: $0 start|stop" >&2
  exit 2
  ;;
esac
