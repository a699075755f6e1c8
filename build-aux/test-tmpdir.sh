#!/bin/sh
# Runs one test (the arguments) with a temporary directory of its own as TMPDIR, and removes
# that directory when the test ends — passed, failed, aborted, or stopped by meson's timeout —
# so that no test leaves files behind. meson uses it for every test (tests/meson.build).
set -u

dir=$(mktemp -d "${TMPDIR:-/tmp}/reins-test.XXXXXX") || exit 99
trap 'rm -rf "$dir"' EXIT
trap 'exit 143' TERM
trap 'exit 130' INT
trap 'exit 129' HUP
TMPDIR=$dir
export TMPDIR

"$@"
exit $?
