#!/usr/bin/env bash
# Cross-checks covet-bench's load generator against wrk on one server instance.
#
#   covet-bench/wrk-crosscheck.sh [MAIN_CLASS CLASSPATH]
#
# Starts the server (default: the throwaway raw-Netty server of covet-bench's test sources;
# or MAIN_CLASS on CLASSPATH, e.g. dev.covet.peers.netty.NettyPeer
# 'bench-peers/netty/target/classes:bench-peers/netty/target/lib/*') pinned to CPU 1 on PORT
# (default 18080), warms it with wrk, then alternates ROUNDS times (default 3):
#   taskset -c 0 wrk -t1 -c64 -d10s http://127.0.0.1:PORT/plaintext
#   bin/bench load --port PORT --connections 64 --warmup 5s --duration 10s --client-cpus 0 --server-pid PID
# (CONNS, PIPELINE, SECS, ROUNDS and PORT can be set in the environment.)
# For each run it prints requests/s, the server's CPU per request (/proc/<pid>/stat), the
# client's CPU, and how much of CPUs 0 and 1 other processes took (/proc/stat), so a
# disturbed run can be told from a real difference. Needs: wrk, taskset, a built covet-bench
# (mvn -f covet-bench/pom.xml -DskipTests package). Loads 127.0.0.1 only; stops its server by PID.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
JAVA="$(bin/java-home)/bin/java"
PORT="${PORT:-18080}"
ROUNDS="${ROUNDS:-3}"
SECS="${SECS:-10}"
CONNS="${CONNS:-64}"
PIPELINE="${PIPELINE:-1}"   # e.g. PIPELINE=16: both tools pipeline 16 requests per connection
MAIN="${1:-dev.covet.bench.RawNettyServer}"
CP="${2:-covet-bench/target/test-classes:covet-bench/target/classes:covet-bench/target/lib/*}"
TCK=$(getconf CLK_TCK)
command -v wrk >/dev/null || { echo "wrk not found: apt-get install -y wrk" >&2; exit 1; }
WRK_SCRIPT=()
if [ "$PIPELINE" -gt 1 ]; then
  lua=$(mktemp --suffix=.lua)
  cat > "$lua" <<LUA
init = function(args)
  local r = {}
  for i = 1, $PIPELINE do r[i] = wrk.format(nil, "/plaintext") end
  req = table.concat(r)
end
request = function() return req end
LUA
  WRK_SCRIPT=(-s "$lua")
fi

PORT=$PORT COVET_PORT=$PORT taskset -c 1 "$JAVA" -Xms512m -Xmx512m -XX:+UseParallelGC --enable-native-access=ALL-UNNAMED \
  -cp "$CP" "$MAIN" > /tmp/wrk-crosscheck-server.log 2>&1 &
SPID=$!
trap 'kill -TERM $SPID 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/plaintext" && break
  sleep 0.1
done
[ "$(curl -s "http://127.0.0.1:$PORT/plaintext")" = "Hello, World!" ] || { echo "server did not answer Hello, World!" >&2; exit 1; }

server_ticks() { awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$SPID/stat"; }
# busy and total ticks of one CPU
cpu_ticks() { awk -v c="cpu$1" '$1 == c { print $2+$3+$4+$7+$8, $2+$3+$4+$5+$6+$7+$8+$9 }' /proc/stat; }
# prints: "others on cpu0 %, others on cpu1 %" given before/after busy,total and the client/server ticks
others() { # c0b c0t c1b c1t C0b C0t C1b C1t clientTicks serverTicks
  awk -v a="$1" -v b="$2" -v c="$3" -v d="$4" -v A="$5" -v B="$6" -v C="$7" -v D="$8" -v cl="$9" -v sv="${10}" 'BEGIN {
    o0 = ((A-a) - cl) / (B-b); if (o0 < 0) o0 = 0; o1 = ((C-c) - sv) / (D-d); if (o1 < 0) o1 = 0;
    printf "others on cpu0 %3.0f%%, on cpu1 %3.0f%%", 100*o0, 100*o1 }'
}

echo "server: $MAIN pid $SPID port $PORT pinned to CPU 1; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "connections $CONNS, pipelining $PIPELINE, $SECS s per run, $ROUNDS rounds"
taskset -c 0 wrk -t1 -c"$CONNS" -d5s "${WRK_SCRIPT[@]}" "http://127.0.0.1:$PORT/plaintext" > /dev/null   # server JIT warm-up

for round in $(seq 1 "$ROUNDS"); do
  for tool in wrk covet; do
    read -r c0b c0t < <(cpu_ticks 0); read -r c1b c1t < <(cpu_ticks 1); s0=$(server_ticks)
    if [ "$tool" = wrk ]; then
      out=$( { /usr/bin/time -f "CLIENT_CPU %U %S" taskset -c 0 wrk -t1 -c"$CONNS" -d"${SECS}s" "${WRK_SCRIPT[@]}" "http://127.0.0.1:$PORT/plaintext"; } 2>&1 )
      rps=$(awk '/Requests\/sec/ { print $2 }' <<<"$out")
      reqs=$(awk '/requests in/ { print $1 }' <<<"$out")
      errs=$(awk '/Non-2xx|Socket errors/ { print }' <<<"$out" | tr '\n' ' ')
      ccpu=$(awk '/CLIENT_CPU/ { print $2 + $3 }' <<<"$out")
    else
      # client warm-up (JIT) first, then the measured window; CPU is the window's own.
      out=$(bin/bench load --port "$PORT" --connections "$CONNS" --pipeline "$PIPELINE" --warmup 5s --duration "${SECS}s" --client-cpus 0 \
            --server-pid "$SPID" --server-cpus 1 2>/dev/null)
      rps=$(awk '/Requests\/sec/ { print $2 }' <<<"$out")
      reqs=$(awk '/ requests in / { print $1 }' <<<"$out")
      errs=$(awk '/ requests in / { print $8, $9 }' <<<"$out")
      ccpu=$(sed -n 's/.*client CPU \([0-9.]*\) s.*/\1/p' <<<"$out")
      cjit=$(sed -n 's/.*of which JIT \([0-9.]*\) s.*/\1/p' <<<"$out")
      scpu=$(sed -n 's/.*server pid [0-9]*: CPU \([0-9.]*\) s.*/\1/p' <<<"$out")
      contention=$(sed -n 's/.*other processes used \([0-9]*\)% of CPU(s) 0 and \([0-9]*\)% of CPU(s) 1.*/others on cpu0 \1%, on cpu1 \2%/p' <<<"$out")
      printf "round %d %-5s %10s req/s  %9s requests  client CPU %5.2f s  server CPU %5.2f s = %s req/server-CPU-s  %s  errors: %s\n" \
        "$round" "$tool" "$rps" "$reqs" "$ccpu" "$scpu" "$(awk -v r="$reqs" -v c="$scpu" 'BEGIN { printf "%.0f", r/c }')" \
        "$contention (client JIT ${cjit} s)" "${errs:-none}"
      continue
    fi
    s1=$(server_ticks); read -r C0b C0t < <(cpu_ticks 0); read -r C1b C1t < <(cpu_ticks 1)
    ccpu_ticks=$(awk -v c="$ccpu" -v t="$TCK" 'BEGIN { printf "%d", c*t }')
    printf "round %d %-5s %10s req/s  %9s requests  client CPU %5.2f s  server CPU %5.2f s = %s req/server-CPU-s  %s  errors: %s\n" \
      "$round" "$tool" "$rps" "$reqs" "$ccpu" "$(awk -v d=$((s1 - s0)) -v t="$TCK" 'BEGIN { print d/t }')" \
      "$(awk -v r="$reqs" -v d=$((s1 - s0)) -v t="$TCK" 'BEGIN { printf "%.0f", r/(d/t) }')" \
      "$(others "$c0b" "$c0t" "$c1b" "$c1t" "$C0b" "$C0t" "$C1b" "$C1t" "$ccpu_ticks" $((s1 - s0)))" "${errs:-none}"
  done
done
kill -TERM $SPID; wait $SPID || true; trap - EXIT
echo "server log:"; tail -n 3 /tmp/wrk-crosscheck-server.log
