#!/bin/sh
# Builds Reins and runs every test, on a fresh Debian 12 machine or an old checkout.
#
#   build-aux/test.sh              the suite, warnings as errors
#   build-aux/test.sh --sanitize   the same under AddressSanitizer and UBSan
#
# Missing Debian packages are installed first. Window tests run under Xvfb, on a private
# D-Bus session bus, so the suite needs no desktop. The PostgreSQL store is tested against a
# throwaway server (build-aux/pg-test-server.sh) started here and removed at the end.
set -eu

cd "$(dirname "$0")/.."

builddir=_build
setup_args="-Dwerror=true"
if [ "${1:-}" = "--sanitize" ]; then
  builddir=_build-sanitize
  setup_args="$setup_args -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug"
  export G_SLICE=always-malloc
  # The default (fast) unwinder: fast_unwind_on_malloc=0 made every allocation unwind slowly,
  # and the long window tests timed out on a busy machine (issue 17). Fast stacks stop at
  # GLib's frames; the few tests whose by-design leaks need deeper stacks for lsan.supp to
  # match get the slow unwinder from tests/meson.build (slow_unwind_tests).
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  export LSAN_OPTIONS="suppressions=$(pwd)/build-aux/lsan.supp:print_suppressions=0"
fi

sh build-aux/install-deps.sh

if [ -f "$builddir/build.ninja" ]; then
  # shellcheck disable=SC2086
  meson setup --reconfigure "$builddir" $setup_args >/dev/null
else
  # shellcheck disable=SC2086
  meson setup "$builddir" $setup_args
fi
ninja -C "$builddir"
sh build-aux/install-mcp-peers.sh "$builddir"

# One parent for every temporary directory of this run, removed at its end: a test killed
# before its own clean-up (build-aux/test-tmpdir.sh) leaves nothing behind either.
tmp_parent=$(mktemp -d "${TMPDIR:-/tmp}/reins-tests.XXXXXX")
# A throwaway PostgreSQL server for the PostgreSQL store's tests, stopped and removed at
# the end. Its folder is outside $tmp_parent (mode 0700), which its unprivileged user
# could not enter. Without it those tests fail here (REINS_TEST_REQUIRE_PG).
pg_dir=$(mktemp -u /tmp/reins-pg.XXXXXX)
trap 'sh build-aux/pg-test-server.sh stop "$pg_dir"; rm -rf "$tmp_parent"' EXIT
REINS_TEST_PG_URI=$(sh build-aux/pg-test-server.sh start "$pg_dir")
REINS_TEST_REQUIRE_PG=1
export REINS_TEST_PG_URI REINS_TEST_REQUIRE_PG
TMPDIR=$tmp_parent
export TMPDIR

status=0
dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" \
  meson test -C "$builddir" --print-errorlogs --num-processes 2 || status=$?

# The official MCP conformance suite against Reins' MCP client and against reins-cli itself
# (docs/tools.md). It comes from npm with the Node.js 22 it needs; when npm cannot reach its
# registry (exit 77) nothing ran, which fails CI but only warns on a developer's machine.
for mode in "" --cli; do
  conformance=0
  # shellcheck disable=SC2086
  sh build-aux/mcp-conformance.sh "$builddir" $mode || conformance=$?
  if [ "$conformance" -eq 77 ] && [ "${CI:-}" != true ]; then
    echo "test.sh: the MCP conformance suite could not be installed; not run" >&2
  elif [ "$conformance" -ne 0 ]; then
    status=1
  fi
done

exit $status
