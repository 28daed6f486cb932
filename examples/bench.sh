#!/usr/bin/env bash
# bench.sh: requests per second of the example server against Node's hello world, measured by
# wrk in the same run with the same settings, one process each (no --workers, no cluster).
#
#   SERVER_BIN=build/examples/server bash examples/bench.sh     (or: make bench-server)
#
# Two modes: one request per write (wrk's default), then PIPELINE requests per write (the
# TechEmpower "plaintext" setting, examples/bench_pipeline.lua). For each, requests/s and
# requests per CPU-second of the server process (how much the server itself costs, whatever
# share of the machine wrk takes), and the ratios to Node.
# Settings (environment): DURATION (seconds per run, 5), CONNECTIONS (50), THREADS (wrk
# threads, 1: on a 2-core machine, one core for wrk and one for the server), REPS (runs per
# server and mode, interleaved, 3), PIPELINE (16). The figure kept for each is the median run.
set -euo pipefail

SERVER_BIN=${SERVER_BIN:-build/examples/server}
DURATION=${DURATION:-5}
CONNECTIONS=${CONNECTIONS:-50}
THREADS=${THREADS:-1}
REPS=${REPS:-3}
PIPELINE=${PIPELINE:-16}
HERE=$(cd "$(dirname "$0")" && pwd)

for tool in wrk node curl; do
  command -v "$tool" >/dev/null || { echo "bench.sh: $tool is required" >&2; exit 1; }
done
[ -x "$SERVER_BIN" ] || { echo "bench.sh: $SERVER_BIN not built (make example-server)" >&2; exit 1; }

tmp=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

# Waits until file $1 has a first line; prints it.
first_line() {
  for _ in $(seq 200); do
    if [ -s "$1" ] && head -1 "$1" | grep -q .; then head -1 "$1"; return 0; fi
    sleep 0.05
  done
  echo "bench.sh: no output in $1" >&2
  return 1
}

"$SERVER_BIN" --port 0 >"$tmp/wf.out" 2>"$tmp/wf.err" &
wf_pid=$!
pids+=($wf_pid)
wf_port=$(first_line "$tmp/wf.out" | sed -E 's/.*:([0-9]+)$/\1/')

node -e "
const http = require('http');
const server = http.createServer((req, res) => res.end('hello world')).listen(0, '127.0.0.1', () => {
  console.log(server.address().port);
});" >"$tmp/node.out" 2>"$tmp/node.err" &
node_pid=$!
pids+=($node_pid)
node_port=$(first_line "$tmp/node.out")

# Both answer the same body before anything is measured.
for port in "$wf_port" "$node_port"; do
  body=$(curl -sS --noproxy '*' --max-time 5 "http://127.0.0.1:$port/")
  [ "$body" = "hello world" ] || { echo "bench.sh: port $port answered '$body'" >&2; exit 1; }
done

# One wrk run against port $2 for $1 seconds, pipelining $3 requests per write (1: none);
# prints "requests/s requests-per-server-CPU-second" (server CPU from /proc/$4/stat). Fails when
# any response was not a 2xx or a socket error occurred.
run_wrk() {
  local out t0 t1 script=()
  [ "$3" -gt 1 ] && script=(-s "$HERE/bench_pipeline.lua")
  t0=$(awk '{print $14 + $15}' "/proc/$4/stat")
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$1"s "${script[@]}" "http://127.0.0.1:$2/" -- "$3")
  t1=$(awk '{print $14 + $15}' "/proc/$4/stat")
  if grep -q "Non-2xx\|Socket errors" <<<"$out"; then
    echo "bench.sh: errors against port $2:" >&2
    echo "$out" >&2
    return 1
  fi
  awk -v ticks=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" -v secs="$1" '/^Requests\/sec:/ {
    cpu = ticks / hz; printf "%s %.0f\n", $2, (cpu > 0 ? $2 * secs / cpu : 0) }' <<<"$out"
}

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, GET / -> hello world, $REPS interleaved runs"
echo "per server and mode; figures are medians; CPU is the server process's user+system time."
for depth in 1 "$PIPELINE"; do
  run_wrk 1 "$wf_port" "$depth" "$wf_pid" >/dev/null  # warm-up (Node's JIT, caches)
  run_wrk 1 "$node_port" "$depth" "$node_pid" >/dev/null
  : >"$tmp/wf"
  : >"$tmp/node"
  for _ in $(seq "$REPS"); do
    run_wrk "$DURATION" "$wf_port" "$depth" "$wf_pid" >>"$tmp/wf"
    run_wrk "$DURATION" "$node_port" "$depth" "$node_pid" >>"$tmp/node"
  done
  wf_rps=$(cut -d' ' -f1 "$tmp/wf" | median)
  wf_cpu=$(cut -d' ' -f2 "$tmp/wf" | median)
  nd_rps=$(cut -d' ' -f1 "$tmp/node" | median)
  nd_cpu=$(cut -d' ' -f2 "$tmp/node" | median)
  if [ "$depth" = 1 ]; then mode="no pipelining"; else mode="pipelined x$depth"; fi
  awk -v m="$mode" -v a="$wf_rps" -v b="$nd_rps" -v c="$wf_cpu" -v d="$nd_cpu" 'BEGIN {
    printf "%-17s wireframe %9.0f req/s %9.0f req/CPU-s | node %9.0f req/s %9.0f req/CPU-s\n", m, a, c, b, d
    printf "%-17s ratio: %.2fx Node in req/s (target 3x: %s), %.2fx in req per CPU-second\n", m, a / b, (a / b >= 3 ? "met" : "not met"), c / d
  }'
done
echo "node: $(node --version); wrk: $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2)"
