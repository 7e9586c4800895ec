#!/usr/bin/env bash
# Cross-checks the database scenarios with wrk: each target alone, started as the harness starts it.
#
#   covet-bench/wrk-db.sh [PATH [TARGET...]]
#
# PATH defaults to /fortunes (any GET route of the database scenarios: /db, /queries?queries=20, ...);
# TARGETs default to: covet-nonblocking covet vertx helidon javalin. For each target, one after the
# other: start it pinned to CPU 1 with the harness's JVM flags and environment, check that PATH
# answers 200, warm it up with wrk for WARM s (default 15), move the PostgreSQL backends of the
# benchmark database to CPU 0 (as the harness does), then measure SECS s (default 20):
#   taskset -c 0 wrk -t1 -c64 -dSECS http://127.0.0.1:PORT/PATH
# It prints requests/s, the server's CPU over the window (/proc/<pid>/stat) and requests per
# server CPU-second, the figure the harness ranks by. wrk checks only the status, not the body.
# CONNS (64), WARM, SECS and PORT (18090) can be set in the environment; DB_URL names the database
# (default postgresql://postgres@127.0.0.1:5432/covet_bench_world_10k, which any bin/bench run of a
# database scenario creates and fills). Needs wrk, psql and built targets (bin/bench --list says
# which are). Loads 127.0.0.1 only; stops each server it started by its PID.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
JAVA="$(bin/java-home)/bin/java"
ROUTE="${1:-/fortunes}"
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(covet-nonblocking covet vertx helidon javalin)
PORT="${PORT:-18090}"
CONNS="${CONNS:-64}"
WARM="${WARM:-15}"
SECS="${SECS:-20}"
DB_URL="${DB_URL:-postgresql://postgres@127.0.0.1:5432/covet_bench_world_10k}"
TCK=$(getconf CLK_TCK)

command -v wrk >/dev/null || { echo "wrk-db: wrk not found: apt-get install -y wrk" >&2; exit 1; }
db_name="${DB_URL##*/}"
db_server="${DB_URL%/*}"
rows=$(psql "$db_server/$db_name" -Atc "select count(*) from world" 2>/dev/null) || {
  echo "wrk-db: cannot read table world of $DB_URL; create it with one harness run, e.g." >&2
  echo "  bin/bench --targets=covet --scenarios=db --repeats=1 --warmup=2s --duration=2s" >&2
  exit 1
}

# main class, class path and extra environment of each target, as TargetRegistry has them
target_command() {
  case "$1" in
    covet|covet-nonblocking) MAIN=dev.covet.demo.DemoApp; CP="examples/demo/target/classes:examples/demo/target/lib/*" ;;
    vertx|helidon|javalin)
      MAIN="dev.covet.peers.$1.$(tr '[:lower:]' '[:upper:]' <<<"${1:0:1}")${1:1}Peer"
      CP="bench-peers/$1/target/classes:bench-peers/$1/target/lib/*" ;;
    *) echo "wrk-db: unknown target '$1' (covet, covet-nonblocking, vertx, helidon, javalin)" >&2; exit 1 ;;
  esac
  [ -d "${CP%%:*}" ] || { echo "wrk-db: target $1 is not built (${CP%%:*} missing): mvn -DskipTests package" >&2; exit 1; }
  NON_BLOCKING=false
  [ "$1" = covet-nonblocking ] && NON_BLOCKING=true
  return 0
}

for target in "${TARGETS[@]}"; do target_command "$target"; done   # every name and build checked before anything runs

SPID=
trap '[ -n "$SPID" ] && kill -TERM "$SPID" 2>/dev/null || true' EXIT
server_ticks() { awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$SPID/stat"; }

echo "wrk-db: $ROUTE, $CONNS connections, ${WARM} s warm-up, ${SECS} s measured; $DB_URL ($rows World rows); load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf "%-18s %12s %12s %14s %22s  %s\n" target "req/s" requests "server CPU s" "req / server CPU-s" errors
for target in "${TARGETS[@]}"; do
  target_command "$target"
  log="$(mktemp --suffix=-wrk-db-$target.log)"
  PORT=$PORT COVET_PORT=$PORT COVET_DATA_URL="$DB_URL" DEMO_DATA_PREPARED=true DEMO_WORLD_ROWS="$rows" DEMO_NON_BLOCKING=$NON_BLOCKING \
    taskset -c 1 "$JAVA" -Xms512m -Xmx512m -XX:+UseParallelGC --enable-native-access=ALL-UNNAMED -cp "$CP" "$MAIN" > "$log" 2>&1 &
  SPID=$!
  status=000
  for _ in $(seq 1 600); do
    status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT$ROUTE" || true)
    [ "$status" = 200 ] && break
    kill -0 "$SPID" 2>/dev/null || break
    sleep 0.1
  done
  if [ "$status" != 200 ]; then
    echo "wrk-db: $target did not answer $ROUTE with 200 within 60 s (last status $status); its log, $log, ends:" >&2
    tail -n 5 "$log" >&2
    exit 1
  fi
  taskset -c 0 wrk -t1 -c"$CONNS" -d"${WARM}s" "http://127.0.0.1:$PORT$ROUTE" > /dev/null
  for p in $(psql "$db_server/$db_name" -Atc "select pid from pg_stat_activity where datname = '$db_name' and pid <> pg_backend_pid()"); do
    taskset -p -c 0 "$p" > /dev/null 2>&1 || true  # a backend that has just ended is no error
  done
  s0=$(server_ticks)
  out=$(taskset -c 0 wrk -t1 -c"$CONNS" -d"${SECS}s" "http://127.0.0.1:$PORT$ROUTE")
  s1=$(server_ticks)
  rps=$(awk '/Requests\/sec/ { print $2 }' <<<"$out")
  reqs=$(awk '/requests in/ { print $1 }' <<<"$out")
  errs=$(awk '/Non-2xx|Socket errors/ { printf "%s ", $0 }' <<<"$out")
  printf "%-18s %12s %12s %14s %22s  %s\n" "$target" "$rps" "$reqs" "$(awk -v d=$((s1 - s0)) -v t="$TCK" 'BEGIN { printf "%.2f", d/t }')" \
    "$(awk -v r="$reqs" -v d=$((s1 - s0)) -v t="$TCK" 'BEGIN { printf "%.0f", r/(d/t) }')" "${errs:-none}"
  kill -TERM "$SPID"; wait "$SPID" || true; SPID=
  rm -f "$log"
done
