#!/bin/sh
# Runs each libFuzzer target of tests/fuzz for a short time, as a regression check.
#
#   build-aux/fuzz.sh [SECONDS]     20 s per target by default
#
# Needs clang with libFuzzer; without it the script says so and exits 0, so CI can call it
# on any machine. The build (_build-fuzz) has AddressSanitizer and UBSan. New inputs the
# fuzzer finds go to a scratch folder, so the seed corpora in the tree stay small; a crash
# leaves its input in _build-fuzz/crashes/ and fails the script — copy that file into
# tests/fuzz/corpus/TARGET/ with the fix, and every build replays it from then on.
set -eu

cd "$(dirname "$0")/.."

seconds=${1:-20}
builddir=_build-fuzz
targets="react-parser sse domain mcp-message json-schema json import"

if ! command -v clang >/dev/null 2>&1; then
  echo "fuzz.sh: clang is not installed; no fuzzing" >&2
  exit 0
fi

setup_args="-Dfuzzing=enabled -Dgui=disabled -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug"
if [ -f "$builddir/build.ninja" ]; then
  # shellcheck disable=SC2086
  meson setup --reconfigure "$builddir" $setup_args >/dev/null
else
  # shellcheck disable=SC2086
  CC=clang meson setup "$builddir" $setup_args
fi
for t in $targets; do
  ninja -C "$builddir" -j2 "tests/fuzz/fuzz-$t"
done

export G_SLICE=always-malloc
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$(pwd)/build-aux/lsan.supp:print_suppressions=0"

mkdir -p "$builddir/crashes"
status=0
for t in $targets; do
  scratch=$(mktemp -d)
  echo "== fuzz-$t for $seconds s"
  "$builddir/tests/fuzz/fuzz-$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=262144 -print_final_stats=1 -artifact_prefix="$builddir/crashes/$t-" \
    "$scratch" "tests/fuzz/corpus/$t" || status=1
  rm -rf "$scratch"
done

exit $status
