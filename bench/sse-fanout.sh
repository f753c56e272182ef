#!/usr/bin/env bash
# SSE fan-out benchmark; reports fan-out latency p50/p99 (from the change's timestamp to each subscriber parsing
# it), open time and server heap per open stream.
#   bench/sse-fanout.sh [N]                      N streams on one order, one status change (default 10000)
#   bench/sse-fanout.sh --many-orders M [W]      M orders with W streams each (default 2), all paid at once
# env: PORT, JAVA_OPTS, OPEN_CONCURRENCY, DEADLINE_MS, JAR (a jar to measure instead of target/tijori-*.jar),
#      APP_LOG (keep the app's log there), ROUNDS (measure the round again in the same JVM), JFR_FILE and
#      JFR_SETTINGS (record the fan-out window), WARMUP_ORDERS, WARMUP_WATCHERS (an unmeasured round first, on orders of its own), AT_REST_MAX_MS (the change
#      waits until the server is idle): both off by default, see sse-fanout.mjs
# Starts the packaged app on its embedded MongoDB in a temporary directory, on 127.0.0.1 only, and stops it after.
set -euo pipefail
cd "$(dirname "$0")/.."

ORDERS=1
if [[ "${1:-}" == "--many-orders" ]]; then
	ORDERS="${2:-1000}"
	N=$(( ORDERS * ${3:-2} ))
else
	N="${1:-10000}"
fi
PORT="${PORT:-18080}"
WARM=$(( ${WARMUP_ORDERS:-0} * ${WARMUP_WATCHERS:-2} ))
# actuator (Prometheus) on its own port; the main port has /readyz
MANAGEMENT_PORT="${MANAGEMENT_PORT:-$((PORT + 1000))}"
JAVA_OPTS="${JAVA_OPTS:--Xmx1g}"
# each stream is one socket on both ends, in this one shell's children
ulimit -n "$(( (N + WARM) * 2 + 4096 ))" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
echo "open files limit: $(ulimit -n)"

JAR="${JAR:-$(ls target/tijori-*.jar 2>/dev/null | grep -v plain | head -1 || true)}"
if [[ -z "$JAR" ]]; then
	./mvnw -B -q -DskipTests package
	JAR=$(ls target/tijori-*.jar | grep -v plain | head -1)
fi

DATA=$(mktemp -d)
LOG="$DATA/app.log"
# one customer opens every stream: the per-session cap is lifted to N (the cap is not what is measured here)
# shellcheck disable=SC2086
TIJORI_MAX_OPEN_ORDERS=1000000 TIJORI_ORDER_RATE=1000000 TIJORI_SSE_MAX_STREAMS_PER_SESSION="$(( N + WARM ))" TIJORI_SSE_MAX_STREAMS="$(( N + WARM + 100 ))" PORT="$PORT" MANAGEMENT_SERVER_PORT="$MANAGEMENT_PORT" TIJORI_DATA_DIR="$DATA" TIJORI_EMBEDDED_MONGO_PORT=0 TIJORI_LOG_FORMAT= \
	TIJORI_SANDBOX_WEBHOOKS=false TIJORI_SHUTDOWN_TIMEOUT=5s \
	java $JAVA_OPTS -jar "$JAR" --server.address=127.0.0.1 > "$LOG" 2>&1 &
APP=$!
trap 'kill $APP 2>/dev/null; wait $APP 2>/dev/null || true; [[ -n "${APP_LOG:-}" ]] && cp "$LOG" "$APP_LOG"; rm -rf "$DATA"' EXIT

# a loaded box can take minutes to start the app
for _ in $(seq 1 "${START_SECONDS:-600}"); do
	if curl -fs "http://127.0.0.1:$PORT/readyz" > /dev/null; then break; fi
	if ! kill -0 $APP 2>/dev/null; then cat "$LOG"; exit 1; fi
	sleep 1
done
curl -fs "http://127.0.0.1:$PORT/readyz" > /dev/null || { echo "not ready"; tail -20 "$LOG"; exit 1; }
grep -h "Order event tail" "$LOG" || true

echo "load before: $(uptime)"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB RAM, $(uname -sr), $(java -version 2>&1 | head -1)"
STATUS=0
BASE_URL="http://127.0.0.1:$PORT" METRICS_URL="http://127.0.0.1:$MANAGEMENT_PORT/actuator/prometheus" SUBSCRIBERS="$N" \
	ORDERS="$ORDERS" SERVER_PID="$APP" \
	timeout $(( ${DEADLINE_MS:-$(( 240000 * ${ROUNDS:-1} ))} / 1000 + 30 )) node bench/sse-fanout.mjs || STATUS=$?
echo "load after: $(uptime)"
exit $STATUS
