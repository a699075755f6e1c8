#!/bin/sh
# Installs the public MCP reference servers that tests/test-mcp.c talks to, at the versions
# pinned in tests/mcp/package.json, into BUILDDIR/mcp-peers (never into the source tree).
#
#   build-aux/install-mcp-peers.sh BUILDDIR
#
# When npm cannot reach its registry, BUILDDIR/mcp-peers/INSTALL-FAILED says so and the
# tests that need the servers skip with that reason; any other npm failure fails this script.
set -eu

builddir=${1:?usage: install-mcp-peers.sh BUILDDIR}
srcdir=$(cd "$(dirname "$0")/.." && pwd)
dest=$builddir/mcp-peers
scope=$dest/node_modules/@modelcontextprotocol

mkdir -p "$dest"
rm -f "$dest/INSTALL-FAILED"

if cmp -s "$srcdir/tests/mcp/package.json" "$dest/package.json" &&
   [ -f "$scope/server-everything/dist/index.js" ] &&
   [ -f "$scope/server-filesystem/dist/index.js" ] &&
   [ -f "$scope/server-memory/dist/index.js" ]; then
  exit 0  # already installed at the pinned versions
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "npm is not installed" > "$dest/INSTALL-FAILED"
  echo "install-mcp-peers: npm is not installed; the MCP reference-server tests will skip" >&2
  exit 0
fi

cp "$srcdir/tests/mcp/package.json" "$dest/package.json"
if [ -f "$srcdir/tests/mcp/package-lock.json" ]; then
  cp "$srcdir/tests/mcp/package-lock.json" "$dest/package-lock.json"
fi

log=$dest/npm-install.log
if npm install --prefix "$dest" --no-audit --no-fund --no-update-notifier \
     --fetch-timeout=60000 --fetch-retries=1 >"$log" 2>&1; then
  exit 0
fi

if grep -Eq 'ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|network|proxy' "$log"; then
  reason=$(grep -E 'npm (ERR|error)' "$log" | head -n 3 | tr '\n' ' ')
  echo "npm could not reach its registry: $reason" > "$dest/INSTALL-FAILED"
  echo "install-mcp-peers: npm could not reach its registry; the MCP reference-server tests will skip" >&2
  exit 0
fi

echo "install-mcp-peers: npm install failed:" >&2
cat "$log" >&2
exit 1
