#!/bin/sh
# The bench on the independent error model (docs/error-models.md): starts
# tests/reins-model-server on a free loopback port, runs `reins-cli bench -p openai` against
# it for each simulated person (linear, loop, harness; then the harness with the critic on
# the same server), prints the tables and stops the server. Build first (meson + ninja).
#
#   build-aux/bench-error-model.sh [--build=DIR] [--tasks=N] [--length=N] [--accuracy=P]
#                                  [--seed=N] [--persons=LIST] [--db=PATH] [--prose]
#                                  [-- MORE BENCH OPTIONS]
# --db keeps the runs in that store (to open them with `reins-cli show` or the window).
# --prose: the server answers in sentences; the same chains then run as a suite file whose
# answers match by `contains` (the built-in suite matches exactly), which needs sqlite3.
set -eu

cd "$(dirname "$0")/.."
build=_build
tasks=100
length=12
accuracy=0.88
seed=0
persons="judge approve reject"
db=
prose=

while [ $# -gt 0 ]; do
  case "$1" in
    --build=*) build=${1#--build=} ;;
    --tasks=*) tasks=${1#--tasks=} ;;
    --length=*) length=${1#--length=} ;;
    --accuracy=*) accuracy=${1#--accuracy=} ;;
    --seed=*) seed=${1#--seed=} ;;
    --persons=*) persons=$(echo "${1#--persons=}" | tr ',' ' ') ;;
    --db=*) db=${1#--db=} ;;
    --prose) prose=--prose ;;
    --) shift; break ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "bench-error-model.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

server=$build/tests/reins-model-server
cli=$build/app/cli/reins-cli
for program in "$server" "$cli"; do
  if [ ! -x "$program" ]; then
    echo "bench-error-model.sh: $program is missing; build first" >&2
    exit 2
  fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/reins-error-model-XXXXXX")
pid=
cleanup() {
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

"$server" --port=0 --accuracy="$accuracy" --seed="$seed" $prose >"$work/url" 2>"$work/server.log" &
pid=$!
# The server prints its base URL once it listens.
tries=0
while [ ! -s "$work/url" ]; do
  tries=$((tries + 1))
  if [ $tries -gt 100 ] || ! kill -0 "$pid" 2>/dev/null; then
    echo "bench-error-model.sh: the model server did not start:" >&2
    cat "$work/server.log" >&2
    exit 1
  fi
  sleep 0.1
done
url=$(head -n 1 "$work/url")
db=${db:-$work/runs.db}

suite="--length=$length"
steps=
if [ -n "$prose" ]; then
  # The chains' tasks and values, from one run of each on the offline simulator at full
  # accuracy, written as a suite whose answers match by `contains`.
  "$cli" bench --db="$work/suite.db" -p sim --sim-accuracy=1 --tasks="$tasks" \
    --length="$length" --setups=loop -j 2 >/dev/null 2>&1
  sqlite3 "$work/suite.db" "SELECT json_object('id', json_extract(settings, '\$.bench.task'),
      'task', task, 'expected', json_extract(settings, '\$.bench.expected'),
      'match', 'contains', 'tools', json_array('kb_lookup'), 'min_steps', $length + 1)
    FROM runs ORDER BY json_extract(settings, '\$.bench.task')" >"$work/suite.jsonl"
  suite="--suite=$work/suite.jsonl"
  # The step limit of the built-in chains: three times the fewest steps.
  steps="--max-steps=$((3 * (length + 1)))"
fi

bench() {
  "$cli" bench --db="$db" -p openai --base-url="$url" --model=reins-error-model \
    --api-key-env=REINS_ERROR_MODEL_NO_KEY --tasks="$tasks" "$suite" ${steps:+"$steps"} -j 2 "$@" \
    2>"$work/bench.log" || { cat "$work/bench.log" >&2; exit 1; }
}

# The critic's tokens per run of the last bench, from its stored verdicts (needs sqlite3).
critic_tokens() {
  id=$(sed -n 's/^Bench \([0-9a-f-]*\): .*/\1/p' "$work/bench.log" | head -n 1)
  if [ -n "$id" ] && command -v sqlite3 >/dev/null; then
    sqlite3 "$db" "SELECT printf('critic tokens/task: %.0f (in %.0f, out %.0f)',
        SUM(COALESCE(json_extract(s.critic, '\$.input_tokens'), 0) +
            COALESCE(json_extract(s.critic, '\$.output_tokens'), 0)) * 1.0 / COUNT(DISTINCT r.id),
        SUM(COALESCE(json_extract(s.critic, '\$.input_tokens'), 0)) * 1.0 / COUNT(DISTINCT r.id),
        SUM(COALESCE(json_extract(s.critic, '\$.output_tokens'), 0)) * 1.0 / COUNT(DISTINCT r.id))
      FROM runs r JOIN steps s ON s.run_id = r.id
      WHERE json_extract(r.settings, '\$.bench.id') = '$id'"
  fi
}

echo "# Error model: reins-model-server --accuracy=$accuracy --seed=$seed $prose ($url)"
for person in $persons; do
  echo
  echo "## --person=$person"
  bench --setups=linear,loop,harness --person="$person" "$@"
  echo
  echo "## --person=$person, the harness with --critic=finish"
  bench --setups=harness --critic=finish --person="$person" "$@"
  critic_tokens
done
