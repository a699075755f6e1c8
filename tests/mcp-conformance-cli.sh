#!/bin/bash
# Not a test: reins-cli itself as the client of the official MCP conformance suite
# (build-aux/mcp-conformance.sh BUILDDIR --cli), which appends the scenario server's URL.
#
# reins-cli needs a model: a scripted one that calls the scenario's tool (named by
# MCP_CONFORMANCE_SCENARIO, which the suite sets) once and finishes, so the run connects to
# the server (initialize, the tool list, OAuth when the server asks for it), makes the
# call and ends; --approve=yes approves the call and accepts a question with the form's
# defaults. The person's browser is played by curl: it follows the authorization address
# reins-cli prints on stderr, and with it the redirect to Reins' loopback listener.
#
#   REINS_CLI=BUILDDIR/app/cli/reins-cli tests/mcp-conformance-cli.sh URL
set -u

url=${!#}
cli=${REINS_CLI:?REINS_CLI is the reins-cli to drive}
dir=$(mktemp -d "${TMPDIR:-/tmp}/reins-conformance-cli.XXXXXX")
trap 'rm -rf "$dir"' EXIT

case ${MCP_CONFORMANCE_SCENARIO:-} in
  tools_call) call='"conformance__add_numbers", "arguments": {"a": 2, "b": 3}' ;;
  elicitation-sep1034-client-defaults)
    call='"conformance__test_client_elicitation_defaults", "arguments": {}' ;;
  sse-retry) call='"conformance__test_reconnection", "arguments": {}' ;;
  auth/*) call='"conformance__test-tool", "arguments": {}' ;;
  *) call='"calculator", "arguments": {"expression": "1+1"}' ;;
esac
# A pre-registered client, as a person would give it to reins-cli: the id as an option, the
# secret in the environment.
client_id=
if [ -n "${MCP_CONFORMANCE_CONTEXT:-}" ]; then
  client_id=$(node -e \
    'console.log(JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT).client_id || "")')
  REINS_MCP_OAUTH_CLIENT_SECRET_CONFORMANCE=$(node -e \
    'console.log(JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT).client_secret || "")')
  export REINS_MCP_OAUTH_CLIENT_SECRET_CONFORMANCE
fi
client_option=()
if [ -n "$client_id" ]; then
  client_option=("--mcp-client-id=conformance=$client_id")
fi

printf '{"responses": [{"tool_calls": [{"name": %s}]},\n' "$call" > "$dir/script.json"
printf ' {"tool_calls": [{"name": "finish", "arguments": {"answer": "done"}}]}]}\n' \
  >> "$dir/script.json"

REINS_NO_KEYRING=1 "$cli" run --db="$dir/runs.db" --provider=scripted \
  --script="$dir/script.json" --tools=calculator --mcp="conformance=$url" \
  "${client_option[@]}" --approve=yes \
  "Use the conformance server's tool" 2> >(
    while IFS= read -r line; do
      printf '%s\n' "$line" >&2
      case $line in
        "  http://"*|"  https://"*)
          curl --silent --location --max-time 20 --output /dev/null "${line#  }" & ;;
      esac
    done
    wait
  )
status=$?
wait
exit $status
