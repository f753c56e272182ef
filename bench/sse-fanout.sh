#!/usr/bin/env bash
# SSE fan-out benchmark: N status streams on one order, one status change; reports fan-out latency p50/p99 (from
# the change's timestamp to each subscriber receiving it) and server heap per open stream.
#   bench/sse-fanout.sh [N]        (default 10000; env: PORT, JAVA_OPTS, OPEN_CONCURRENCY, DEADLINE_MS)
# Starts the packaged app on its embedded MongoDB in a temporary directory, on 127.0.0.1 only, and stops it after.
set -euo pipefail
cd "$(dirname "$0")/.."

N="${1:-10000}"
PORT="${PORT:-18080}"
# actuator (Prometheus) on its own port; the main port has /readyz
MANAGEMENT_PORT="${MANAGEMENT_PORT:-$((PORT + 1000))}"
JAVA_OPTS="${JAVA_OPTS:--Xmx1g}"
# each stream is one socket on both ends, in this one shell's children
ulimit -n "$(( N * 2 + 4096 ))" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
echo "open files limit: $(ulimit -n)"

JAR=$(ls target/tijori-*.jar 2>/dev/null | grep -v plain | head -1 || true)
if [[ -z "$JAR" ]]; then
	./mvnw -B -q -DskipTests package
	JAR=$(ls target/tijori-*.jar | grep -v plain | head -1)
fi

DATA=$(mktemp -d)
LOG="$DATA/app.log"
# shellcheck disable=SC2086
PORT="$PORT" MANAGEMENT_SERVER_PORT="$MANAGEMENT_PORT" TIJORI_DATA_DIR="$DATA" TIJORI_EMBEDDED_MONGO_PORT=0 TIJORI_LOG_FORMAT= \
	TIJORI_SANDBOX_WEBHOOKS=false TIJORI_SHUTDOWN_TIMEOUT=5s \
	java $JAVA_OPTS -jar "$JAR" --server.address=127.0.0.1 > "$LOG" 2>&1 &
APP=$!
trap 'kill $APP 2>/dev/null; wait $APP 2>/dev/null; rm -rf "$DATA"' EXIT

for _ in $(seq 1 120); do
	if curl -fs "http://127.0.0.1:$PORT/readyz" > /dev/null; then break; fi
	if ! kill -0 $APP 2>/dev/null; then cat "$LOG"; exit 1; fi
	sleep 1
done
grep -h "Order event tail" "$LOG" || true

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB RAM, $(uname -sr), $(java -version 2>&1 | head -1)"
BASE_URL="http://127.0.0.1:$PORT" METRICS_URL="http://127.0.0.1:$MANAGEMENT_PORT/actuator/prometheus" SUBSCRIBERS="$N" SERVER_PID="$APP" \
	timeout 300 node bench/sse-fanout.mjs
