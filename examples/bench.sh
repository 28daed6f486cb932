#!/usr/bin/env bash
# bench.sh: requests per second of the example server against Node's hello world, measured by
# wrk in the same run with the same settings, one process each (no --workers, no cluster).
# The example server runs twice: with its default limits, and with every limit that has an
# off switch turned off (deadlines, connection cap, buffer budget, fragment cap), to show what
# the limits cost. BASELINE_BIN, when set, is another build of the example server (an older
# commit, say) measured alongside with its default options.
#
#   SERVER_BIN=build/examples/server bash examples/bench.sh     (or: make bench-server)
#
# Two modes: one request per write (wrk's default), then PIPELINE requests per write (the
# TechEmpower "plaintext" setting, examples/bench_pipeline.lua). For each, requests/s and
# requests per CPU-second of the server process (how much the server itself costs, whatever
# share of the machine wrk takes), and the ratios.
# Settings (environment): DURATION (seconds per run, 5), CONNECTIONS (50), THREADS (wrk
# threads, 1: on a 2-core machine, one core for wrk and one for the server), REPS (runs per
# server and mode, interleaved, 3), PIPELINE (16). The figure kept for each is the median run.
#
# Time on a shared machine varies by several percent between runs of the same binary, too much
# to see a cost of 2%. So the script then counts the instructions the example server executes
# per request under valgrind's callgrind (exact and repeatable): the difference between runs
# of IR_REQUESTS + 2000 and of 2000 requests on one keep-alive connection, one request per
# write and PIPELINE per write. Skipped when valgrind is missing.
set -euo pipefail

SERVER_BIN=${SERVER_BIN:-build/examples/server}
BASELINE_BIN=${BASELINE_BIN:-}
DURATION=${DURATION:-5}
CONNECTIONS=${CONNECTIONS:-50}
THREADS=${THREADS:-1}
REPS=${REPS:-3}
PIPELINE=${PIPELINE:-16}
HERE=$(cd "$(dirname "$0")" && pwd)
LIMITS_OFF=(--head-timeout 0 --request-timeout 0 --message-timeout 0 --max-connections 0
            --max-buffered 0 --max-fragments 0)

for tool in wrk node curl; do
  command -v "$tool" >/dev/null || { echo "bench.sh: $tool is required" >&2; exit 1; }
done
for bin in "$SERVER_BIN" ${BASELINE_BIN:+"$BASELINE_BIN"}; do
  [ -x "$bin" ] || { echo "bench.sh: $bin not built (make example-server)" >&2; exit 1; }
done

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

# The servers under test: names[i] listens on ports[i], its process is spids[i].
names=()
ports=()
spids=()

# Starts the example server $2 with options $3... under the name $1.
start_example() {
  local name=$1 bin=$2 n=${#names[@]}
  shift 2
  "$bin" --port 0 "$@" >"$tmp/$n.out" 2>"$tmp/$n.err" &
  pids+=($!)
  names+=("$name")
  spids+=($!)
  ports+=("$(first_line "$tmp/$n.out" | sed -E 's/.*:([0-9]+)$/\1/')")
}

start_example wireframe "$SERVER_BIN"
start_example "limits off" "$SERVER_BIN" "${LIMITS_OFF[@]}"
[ -n "$BASELINE_BIN" ] && start_example baseline "$BASELINE_BIN"

node -e "
const http = require('http');
const server = http.createServer((req, res) => res.end('hello world')).listen(0, '127.0.0.1', () => {
  console.log(server.address().port);
});" >"$tmp/node.out" 2>"$tmp/node.err" &
pids+=($!)
names+=(node)
spids+=($!)
ports+=("$(first_line "$tmp/node.out")")

# Every server answers the same body before anything is measured.
for port in "${ports[@]}"; do
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

# Prints "median-requests/s median-requests-per-CPU-second" of server $1 from its runs.
medians() { echo "$(cut -d' ' -f1 "$tmp/runs.$1" | median) $(cut -d' ' -f2 "$tmp/runs.$1" | median)"; }

# Prints one ratio line: server $1 against server $2 (figures "$3" and "$4").
ratio() {
  awk -v a="$1" -v b="$2" -v x="$3" -v y="$4" -v m="$mode" 'BEGIN {
    split(x, p, " "); split(y, q, " ")
    printf "%-17s %s / %s: %.3f in req/s, %.3f in req per CPU-second\n", m, a, b, p[1] / q[1], p[2] / q[2] }'
}

echo "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, GET / -> hello world, $REPS interleaved runs"
echo "per server and mode; figures are medians; CPU is the server process's user+system time."
echo "\"limits off\": the same binary with ${LIMITS_OFF[*]}."
for depth in 1 "$PIPELINE"; do
  if [ "$depth" = 1 ]; then mode="no pipelining"; else mode="pipelined x$depth"; fi
  for i in "${!names[@]}"; do
    run_wrk 1 "${ports[$i]}" "$depth" "${spids[$i]}" >/dev/null  # warm-up (Node's JIT, caches)
    : >"$tmp/runs.$i"
  done
  for _ in $(seq "$REPS"); do
    for i in "${!names[@]}"; do
      run_wrk "$DURATION" "${ports[$i]}" "$depth" "${spids[$i]}" >>"$tmp/runs.$i"
    done
  done
  figures=()
  for i in "${!names[@]}"; do
    figures+=("$(medians "$i")")
    printf "%-17s %-10s %9.0f req/s %9.0f req/CPU-s\n" "$mode" "${names[$i]}" ${figures[$i]}
  done
  last=$((${#names[@]} - 1))
  for i in $(seq 1 "$last"); do
    ratio wireframe "${names[$i]}" "${figures[0]}" "${figures[$i]}"
  done
done
echo "node: $(node --version); wrk: $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2)"

command -v valgrind >/dev/null || { echo "valgrind missing: no instruction counts"; exit 0; }
IR_REQUESTS=${IR_REQUESTS:-20000}

# Sends $2 requests to port $1 on one connection, $3 per write, each write's answers read
# before the next write.
client() {
  python3 - "$@" <<'PY'
import socket, sys
port, total, depth = (int(a) for a in sys.argv[1:4])
request = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
s = socket.create_connection(("127.0.0.1", port))
pending, sent = b"", 0
while sent < total:
    k = min(depth, total - sent)
    s.sendall(request * k)
    sent += k
    while k:
        chunk = s.recv(1 << 20)
        assert chunk, "the server closed the connection"
        pending += chunk
        k -= pending.count(b"hello world")
        pending = pending[pending.rfind(b"hello world") + 11:] if b"hello world" in pending else pending
s.close()
PY
}

# Instructions the example server $1 (options $4...) executes for $2 requests, $3 per write.
instructions() {
  local bin=$1 n=$2 depth=$3 pid port
  shift 3
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" --port 0 "$@" \
    >"$tmp/cg.out" 2>"$tmp/cg.err" &
  pid=$!
  pids+=($pid)
  port=$(first_line "$tmp/cg.out" | sed -E 's/.*:([0-9]+)$/\1/')
  client "$port" "$n" "$depth"
  kill -TERM "$pid"
  wait "$pid" || true
  sed -nE 's/.*Collected : ([0-9]+).*/\1/p' "$tmp/cg.err"
}

echo "instructions per request in the example server (callgrind, $IR_REQUESTS requests):"
for depth in 1 "$PIPELINE"; do
  if [ "$depth" = 1 ]; then mode="no pipelining"; else mode="pipelined x$depth"; fi
  declare -A ir=()
  variants=(wireframe "limits off")
  [ -n "$BASELINE_BIN" ] && variants+=(baseline)
  for v in "${variants[@]}"; do
    case $v in
      wireframe) args=("$SERVER_BIN") ;;
      "limits off") args=("$SERVER_BIN" "${LIMITS_OFF[@]}") ;;
      baseline) args=("$BASELINE_BIN") ;;
    esac
    small=$(instructions "${args[0]}" 2000 "$depth" "${args[@]:1}")
    large=$(instructions "${args[0]}" $((IR_REQUESTS + 2000)) "$depth" "${args[@]:1}")
    ir[$v]=$(( (large - small) / IR_REQUESTS ))
    printf "%-17s %-10s %6d instructions/request\n" "$mode" "$v" "${ir[$v]}"
  done
  for v in "${variants[@]:1}"; do
    awk -v a="${ir[wireframe]}" -v b="${ir[$v]}" -v m="$mode" -v n="$v" 'BEGIN {
      printf "%-17s wireframe / %s: %.3f in instructions per request\n", m, n, a / b }'
  done
done
