#!/bin/sh
# Retakes the screenshots the README and docs/window.md show, under Xvfb, from a seeded
# demo store and a live sim demo run, into data/screenshots/:
#
#   window-history.png  the window on the demo store (README, metainfo), 1100 × 720
#   window-dark.png     the same in the dark style
#   narrow.png          700 × 500: the history folded behind its button, the chart away
#   window-empty.png    the first start, no store yet (metainfo)
#   approval.png        a live demo run waiting for a person, the approval dialog over it (README)
#   live-run.png        the same demo run under way (README)
#   history-search.png, chart.png, replay.png, preferences.png   (docs/window.md)
#
# Usage: build-aux/screenshots.sh [BUILD-DIR]   (default _build; run from the source root)
#
# Needs xvfb-run, dbus-run-session and ImageMagick's convert. Look at every picture before
# committing it: the script checks sizes, not what they show.
set -eu

build=${1:-_build}
out=data/screenshots
if [ ! -f "$build/build.ninja" ] || [ ! -d "$out" ]; then
  echo "Run from the source root after meson setup $build" >&2
  exit 2
fi
for tool in xvfb-run dbus-run-session convert identify; do
  command -v "$tool" > /dev/null || { echo "$tool is needed" >&2; exit 2; }
done

ninja -C "$build" -j 2 tests/seed-demo-store tests/screenshot-window tests/screenshot-live-run \
  tests/screenshot-inspect data/gschemas.compiled > /dev/null

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir "$tmp/shots"

export GSETTINGS_SCHEMA_DIR="$build/data" GSETTINGS_BACKEND=memory GSK_RENDERER=cairo
export LANGUAGE=C LC_ALL=C.UTF-8 GTK_A11Y=none NO_AT_BRIDGE=1

# One X server with room for the largest window, so nothing is clipped.
shoot () {
  xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- "$@"
}

"$build/tests/seed-demo-store" "$tmp/demo.db"
shoot "$build/tests/screenshot-window" "$tmp/demo.db" "$tmp/shots"
shoot "$build/tests/screenshot-live-run" "$tmp/live.db" "$tmp/shots"
"$build/tests/seed-demo-store" "$tmp/inspect.db"
shoot "$build/tests/screenshot-inspect" "$tmp/inspect.db" "$tmp/shots"

# The approval dialog over its window, which is dimmed as a modal dialog dims it.
convert "$tmp/shots/approval-window.png" -fill black -colorize 35% \
  "$tmp/shots/approval-dialog.png" -gravity center -composite "$tmp/shots/approval.png"

for name in window-history window-dark narrow window-empty approval live-run \
            history-search chart replay preferences; do
  if [ ! -s "$tmp/shots/$name.png" ]; then
    echo "$name.png was not taken" >&2
    exit 1
  fi
  # 256 colours keep the pictures small; none of them has more that matter.
  convert "$tmp/shots/$name.png" -strip -colors 256 "PNG8:$out/$name.png"
  echo "$out/$name.png $(identify -format '%wx%h' "$out/$name.png")"
done
