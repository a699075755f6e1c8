#!/bin/sh
# Runs the benchmark programs of the test build one after the other and prints their
# figures (the README's performance section quotes one such run). Build first with
# build-aux/test.sh. The window benchmarks need a display; this runs them under Xvfb.
set -eu

cd "$(dirname "$0")/.."
b=_build/tests

for bench in bench-executor bench-harness bench-store bench-store-load bench-tools bench-faults bench-sim bench-thesis bench-crash; do
  echo "== $bench"
  case "$bench" in
    bench-tools|bench-faults) "$b/$bench" "$b/fake-mcp-server" ;;
    # The store-API load here; its real runs, answered by windows, with the window benches.
    bench-store-load) "$b/$bench" --api ;;
    *) "$b/$bench" ;;
  esac
  echo
done

# bench-store-load's default mode: real runs, answered by two windows (bench-remote-window).
for bench in bench-window bench-inspect bench-store-load; do
  if [ -x "$b/$bench" ] && { [ "$bench" != bench-store-load ] || [ -x "$b/bench-remote-window" ]; }; then
    echo "== $bench"
    GSETTINGS_SCHEMA_DIR=_build/data GSETTINGS_BACKEND=memory GSK_RENDERER=cairo \
      xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- "$b/$bench"
    echo
  fi
done
