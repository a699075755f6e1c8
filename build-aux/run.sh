#!/bin/sh
# Builds Reins and starts the window from the build tree, on the offline `sim` provider,
# so it works with no key and no network. Missing Debian packages are installed first.
set -eu

cd "$(dirname "$0")/.."

sh build-aux/install-deps.sh

if [ ! -f _build/build.ninja ]; then
  meson setup _build
fi
ninja -C _build

export GSETTINGS_SCHEMA_DIR="$(pwd)/_build/data"
exec ./_build/app/gui/reins "$@"
