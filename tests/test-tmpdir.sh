#!/bin/sh
# build-aux/test-tmpdir.sh: a test's temporary directory is gone however the test ends, and
# the test's exit status is kept.
set -u

wrapper=$1
out=$(mktemp)
trap 'rm -f "$out"' EXIT
failed=0

# $1: the expected status; the rest: the test, which records its TMPDIR in $out.
check () {
  expected=$1
  shift
  : > "$out"
  sh "$wrapper" sh -c "$1" sh "$out"
  status=$?
  dir=$(cat "$out")
  if [ "$status" -ne "$expected" ]; then
    echo "status $status, expected $expected: $1"
    failed=1
  fi
  if [ -z "$dir" ] || [ "$dir" = "${TMPDIR:-/tmp}" ]; then
    echo "no private TMPDIR: $1"
    failed=1
  elif [ -e "$dir" ]; then
    echo "left behind: $dir ($1)"
    failed=1
  fi
}

check 0 'echo "$TMPDIR" > "$1"; mkdir "$TMPDIR/a"; touch "$TMPDIR/a/b"'
check 77 'echo "$TMPDIR" > "$1"; touch "$TMPDIR/f"; exit 77'
check 134 'echo "$TMPDIR" > "$1"; mkdir -p "$TMPDIR/x/y"; kill -ABRT $$'
check 139 'echo "$TMPDIR" > "$1"; mkdir "$TMPDIR/z"; kill -SEGV $$'

exit $failed
