#!/usr/bin/env bash
# HTTP load test of `brain serve` with wrk (issue 8: requests per second and
# latency over GraphQL). Repeatable: builds the release binary, writes a
# synthetic organisation, ingests it, serves it on 127.0.0.1 with a write
# token, collects entity ids that exist in the graph, then runs wrk with
# benches/http-load.lua for three workloads:
#   blast   blast radius only, rotating over the ids
#   mixed   blast radius, context packet, search, node, neighbours (6:2:6:3:3)
#   packet  context packets only, 16 varied task descriptions rotated over the ids
#           (see PACKET_INTENTS in http-load.lua)
#   ingest  the mixed workload while a loop edits a file and calls the
#           `reingest` mutation (each one publishes a new snapshot)
# and prints requests/s, p50/p90/p99, the error counts and the server's RSS.
#
# Needs wrk and curl (`apt-get install -y wrk curl`). Parameters (env):
#   REPOS=20 FILES=500 FUNCTIONS=10   size of the organisation (20x500 = 10k files, ~170k nodes)
#   DURATION=30s CONNECTIONS=16 THREADS=1   wrk settings
#   WORKLOADS="blast mixed ingest"    which runs, in order (also: packet)
#   SELECTIONS="typed"                blast radius selections to run: typed, details, text
#   WORK=/tmp/brain-http-load         where the organisation, data dir and logs go
#   PORT=7791 SKIP_BUILD=1 (reuse the binary) BRAIN_BIN=path (another binary, e.g. a
#   baseline build; implies SKIP_BUILD) KEEP=1 (leave the server running)
set -euo pipefail

REPOS=${REPOS:-20}
FILES=${FILES:-500}
FUNCTIONS=${FUNCTIONS:-10}
DURATION=${DURATION:-30s}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-1}
WORKLOADS=${WORKLOADS:-"blast mixed ingest"}
SELECTIONS=${SELECTIONS:-typed}
WORK=${WORK:-/tmp/brain-http-load}
PORT=${PORT:-7791}
TOKEN=${TOKEN:-bench-write-token}

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN="${BRAIN_BIN:-$ROOT/target/release/brain}"
LUA="$ROOT/benches/http-load.lua"
URL="http://127.0.0.1:$PORT"

for tool in wrk curl; do
  command -v "$tool" >/dev/null || { echo "error: $tool is not installed (apt-get install -y $tool)" >&2; exit 1; }
done

if [ -z "${SKIP_BUILD:-}" ] && [ -z "${BRAIN_BIN:-}" ]; then
  (cd "$ROOT" && cargo build --release -p brain)
fi

SIZE="r${REPOS}-f${FILES}-fn${FUNCTIONS}"
ORG="$WORK/$SIZE/org"
DATA="$WORK/$SIZE/data"
LOG="$WORK/$SIZE/server.log"
mkdir -p "$WORK/$SIZE"

if [ ! -f "$ORG/brain.toml" ]; then
  "$BIN" synth "$ORG" --repos "$REPOS" --files "$FILES" --functions "$FUNCTIONS"
fi
if [ ! -f "$DATA/.ingested" ]; then
  rm -rf "$DATA"
  /usr/bin/time -f "ingest: %e s wall, %M KB peak RSS" "$BIN" ingest "$ORG/brain.toml" --data-dir "$DATA" --quiet | tail -1
  touch "$DATA/.ingested"
fi

SERVER_PID=""
LOOP_PID=""
cleanup() {
  [ -n "$LOOP_PID" ] && kill "$LOOP_PID" 2>/dev/null || true
  if [ -n "$SERVER_PID" ] && [ -z "${KEEP:-}" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT

started=$(date +%s.%N)
BRAIN_WRITE_TOKEN="$TOKEN" "$BIN" serve "$ORG/brain.toml" --data-dir "$DATA" --addr "127.0.0.1:$PORT" >"$LOG" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 600); do
  if curl -fsS "$URL/health" >/dev/null 2>&1; then break; fi
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "error: the server exited; see $LOG" >&2; cat "$LOG" >&2; exit 1; }
  sleep 0.2
done
ready=$(date +%s.%N)
health=$(curl -fsS "$URL/health")
echo "server: pid $SERVER_PID, ready in $(awk -v a="$started" -v b="$ready" 'BEGIN { printf "%.1f", b - a }') s, $health"

rss() { awk '/VmRSS|VmHWM/ { printf "%s %.0f MB  ", $1, $2 / 1024 }' "/proc/$SERVER_PID/status"; echo; }
gql() { # gql QUERY -> response body
  local body
  body=$(printf '{"query":%s}' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g; s/^/"/; s/$/"/')")
  curl -fsS -H 'Content-Type: application/json' -H "Authorization: Bearer $TOKEN" --data "$body" "$URL/graphql"
}

# Entity ids that exist: symbols, data types, fields and operations from
# searches spread over the repositories.
IDS="$WORK/$SIZE/ids.txt"
: >"$IDS"
for r in $(seq 0 $((REPOS - 1))); do
  repo=$(printf 'synth/svc%04d' "$r")
  for q in "step:SYMBOL:60" "record:DATA_TYPE:20" "created at:FIELD:10" "items:OPERATION:5" "fetch item:SYMBOL:10"; do
    IFS=: read -r text kind first <<<"$q"
    gql "{ search(query: \"$text\", kinds: [$kind], repos: [\"$repo\"], first: $first) { entity { id } } }" |
      grep -o '"id":"[^"]*"' | cut -d'"' -f4 >>"$IDS" || true
  done
done
sort -u -o "$IDS" "$IDS"
# A fixed shuffle, so the rotation mixes kinds and repos the same way every run.
awk 'BEGIN { srand(42) } { print rand() "\t" $0 }' "$IDS" | sort -k1,1 | cut -f2 >"$IDS.tmp" && mv "$IDS.tmp" "$IDS"
echo "ids: $(wc -l <"$IDS") entity ids collected ($(cut -d: -f1 "$IDS" | sort | uniq -c | tr -s ' ' | tr '\n' ' '))"
[ -s "$IDS" ] || { echo "error: no ids found" >&2; exit 1; }
echo "rss after start: $(rss)"

run_wrk() { # run_wrk LABEL MIX SELECTION
  echo "== $1: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency ($2, selection $3)"
  IDS_FILE="$IDS" MIX="$2" SELECTION="$3" LABEL="$1" TOKEN="$TOKEN" \
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency --timeout 20s -s "$LUA" "$URL/graphql" >"$WORK/$SIZE/$1.wrk.txt"
  sed -n '/Latency Distribution/,/^RESULT/p' "$WORK/$SIZE/$1.wrk.txt" | grep -E '^ +(50|99)%|Requests/sec|^RESULT' || cat "$WORK/$SIZE/$1.wrk.txt"
  echo "   rss: $(rss)"
  echo "   load: $(uptime | sed 's/.*load average/load average/')"
}

# Warm-up (first context packet builds the name index; caches fill).
IDS_FILE="$IDS" MIX=mixed SELECTION=typed LABEL=warmup TOKEN="$TOKEN" \
  wrk -t1 -c2 -d5s -s "$LUA" "$URL/graphql" >/dev/null

for w in $WORKLOADS; do
  case "$w" in
    blast)
      for sel in $SELECTIONS; do run_wrk "blast-$sel" blast "$sel"; done
      ;;
    mixed)
      run_wrk mixed mixed typed
      ;;
    packet)
      run_wrk packet packet typed
      ;;
    ingest)
      file="$ORG/svc0000/src/mod0000.rs"
      stop="$WORK/$SIZE/ingest.stop"
      rm -f "$stop"
      (
        i=0
        while [ ! -f "$stop" ]; do
          i=$((i + 1))
          echo "// bench edit $i" >>"$file"
          out=$(gql 'mutation { reingest(repo: "synth/svc0000") { parsed durationMs } }' || echo failed)
          echo "$out" >>"$WORK/$SIZE/ingest.log"
        done
      ) &
      LOOP_PID=$!
      run_wrk mixed-during-ingest mixed typed
      touch "$stop"
      wait "$LOOP_PID" 2>/dev/null || true
      LOOP_PID=""
      n=$(grep -c '"durationMs"' "$WORK/$SIZE/ingest.log" || true)
      avg=$(grep -o '"durationMs":[0-9]*' "$WORK/$SIZE/ingest.log" | cut -d: -f2 | awk '{ s += $1; n++ } END { if (n) printf "%.0f", s / n }')
      late=$(grep -c '"TIMEOUT"' "$WORK/$SIZE/ingest.log" || true)
      echo "   re-ingests during the run: $n answered (mean ${avg:-?} ms), $late over the 15 s request limit (they still commit), $(grep -c failed "$WORK/$SIZE/ingest.log" || true) failed"
      mv "$WORK/$SIZE/ingest.log" "$WORK/$SIZE/ingest.last.log"
      ;;
    *) echo "unknown workload '$w' (blast, mixed, packet, ingest)" >&2; exit 1 ;;
  esac
done
echo "final $(curl -fsS "$URL/health")"
