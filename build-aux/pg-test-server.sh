#!/bin/sh
# A throwaway PostgreSQL server for the tests and benchmarks of the PostgreSQL store.
#
#   build-aux/pg-test-server.sh start DIR   creates DIR, starts a server there and prints
#                                           its URI (for REINS_TEST_PG_URI)
#   build-aux/pg-test-server.sh stop DIR    stops it and removes DIR
#
# The server listens only on a Unix socket in DIR (no TCP port), trusts local connections,
# and keeps its data in DIR/data. PostgreSQL refuses to run as root: as root the server
# runs as the unprivileged user "postgres" (runuser), which the Debian package creates.
set -eu

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
  echo "pg-test-server: PostgreSQL is not installed (Debian: postgresql-15)" >&2
  exit 1
fi

as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

action=${1:-}
dir=${2:-}
[ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }

case "$action" in
start)
  mkdir -p "$dir"
  chmod 0755 "$dir"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$dir"
  fi
  as_server_user "$pg_bin/initdb" -D "$dir/data" -A trust -U reins -E UTF8 --locale=C \
    --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  as_server_user "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -W \
    -o "-c listen_addresses='' -k $dir -c max_connections=200" start >/dev/null
  # Wait until the server accepts connections (a condition, not a fixed time).
  tries=0
  until "$pg_bin/pg_isready" -q -h "$dir" -U reins -d postgres; do
    tries=$((tries + 1))
    if [ $tries -gt 600 ]; then
      echo "pg-test-server: the server did not start:" >&2
      cat "$dir/server.log" >&2
      exit 1
    fi
    sleep 0.1
  done
  "$pg_bin/createdb" -h "$dir" -U reins reins_test
  echo "postgresql:///reins_test?host=$dir&user=reins"
  ;;
stop)
  if [ -d "$dir/data" ]; then
    as_server_user "$pg_bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: $0 start|stop DIR" >&2
  exit 2
  ;;
esac
