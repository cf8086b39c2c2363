#!/usr/bin/env bash
# Start-up to first answer (issue 8): launches `brain serve` on an ingested data
# dir and times from launch to the first blast-radius answer over HTTP (polling
# with the query itself), then prints the resident memory after SETTLE seconds
# (the units load and link behind a snapshot read from disk).
#
#   benches/first-answer.sh <brain.toml> <data dir> [entity id]
#   env: BRAIN_BIN (default target/release/brain), PORT (7795), SETTLE (30)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BRAIN_BIN:-$ROOT/target/release/brain}
CFG=$1
DATA=$2
ID=${3:-file:synth/svc0003:src/mod0001.go}
PORT=${PORT:-7795}
LOG=$(mktemp)
start=$(date +%s.%N)
BRAIN_WRITE_TOKEN=first-answer "$BIN" serve "$CFG" --data-dir "$DATA" --addr "127.0.0.1:$PORT" >"$LOG" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
Q="{\"query\":\"{ blastRadius(change: { ids: [\\\"$ID\\\"] }) { impacted { entity { id } } } }\"}"
until out=$(curl -fsS -H 'content-type: application/json' -d "$Q" "http://127.0.0.1:$PORT/graphql" 2>/dev/null); do
  kill -0 $PID 2>/dev/null || { echo "error: the server exited; see $LOG" >&2; cat "$LOG" >&2; exit 1; }
  sleep 0.05
done
end=$(date +%s.%N)
echo "first answer after $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }') s: ${out:0:120}"
sleep "${SETTLE:-30}"
echo "RSS after ${SETTLE:-30} s: $(ps -o rss= -p $PID) KB; $(curl -fsS "http://127.0.0.1:$PORT/health")"
