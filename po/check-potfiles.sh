#!/bin/sh
# Fails when a source or .ui file with translatable strings is missing from POTFILES.in,
# or when POTFILES.in names a file that does not exist.
#
#   po/check-potfiles.sh SOURCE_ROOT
set -eu

cd "$1"
status=0

for f in $(grep -lE '(^|[^a-zA-Z0-9_])(N?_|C_|g_dngettext|ngettext)\(' app/*/*.c 2>/dev/null) \
         $(grep -l 'translatable="yes"' ui/*.ui 2>/dev/null); do
  if ! grep -qx "$f" po/POTFILES.in; then
    echo "po/POTFILES.in: missing $f" >&2
    status=1
  fi
done

grep -v '^#' po/POTFILES.in | grep -v '^$' | while read -r f; do
  if [ ! -f "$f" ]; then
    echo "po/POTFILES.in: $f does not exist" >&2
    exit 1
  fi
done || status=1

exit $status
