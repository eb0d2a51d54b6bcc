#!/usr/bin/env bash
# Time from a fresh clone to the bot's first answer: `make run` builds the envs, seeds, trains and starts
# everything; we poll Rasa's REST webhook until the order question gets a reply.
#   scripts/bench_first_answer.sh [repo-to-clone (default: this one)]
# Uses non-default ports so it can run beside a `make run`. pip's download cache stays warm, as on a
# machine that installed anything before; delete ~/.cache/pip for a cold-cache figure.
set -euo pipefail
src=${1:-$(cd "$(dirname "$0")/.." && pwd)}
work=$(mktemp -d)
trap 'kill -INT -- -$pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT
git clone -q "$src" "$work/shopassist"
cd "$work/shopassist"
export BACKEND_PORT=8400 ACTIONS_PORT=5455 RASA_PORT=5405
start=$(date +%s)
setsid make run > "$work/run.log" 2>&1 &
pid=$!
until reply=$(curl -sf -m 30 -X POST "http://127.0.0.1:$RASA_PORT/webhooks/rest/webhook" \
    -H 'Content-Type: application/json' -d '{"sender":"bench","message":"where is my order?"}') && [ -n "$reply" ] && [ "$reply" != "[]" ]; do
  kill -0 $pid 2>/dev/null || { echo "make run exited:"; tail -30 "$work/run.log"; exit 1; }
  sleep 2
done
end=$(date +%s)
echo "first answer after $((end - start)) s: $reply"
grep -E '^\[train\] done|^\[setup\] .* ready' "$work/run.log" || true
