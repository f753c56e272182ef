#!/usr/bin/env bash
# Checkout while the preferred gateway (Razorpay) hangs, without and with failover, in one run: starts the packaged
# app (built-in sandboxes for all three gateways, its embedded MongoDB, 127.0.0.1 only, reconciler off), then
# bench/failover.mjs measures POST /api/orders in a closed loop twice, each time from a healthy Razorpay that is
# then made to hang: "without" names razorpay (every order before failover went to the default gateway), "with"
# names none (auto). Prints a table (orders/s, 503 share, latency, where orders landed) and writes the raw results
# to bench/results/failover-<time>.json.
#   bench/failover.sh          (env: BENCH_CONCURRENCY 50, BENCH_WARMUP_SECONDS 10, BENCH_SECONDS 30,
#                               BENCH_PORT 18091, JAVA_OPTS -Xmx1g; gateway timeouts are the defaults: 10 s calls,
#                               5 s probes with a 2 s timeout, breaker open 10 s)
# Hold the bench lock on a shared machine: flock /work/bench.lock bash bench/failover.sh
set -euo pipefail
cd "$(dirname "$0")/.."

CONCURRENCY=${BENCH_CONCURRENCY:-50}
WARMUP=${BENCH_WARMUP_SECONDS:-10}
MEASURED=${BENCH_SECONDS:-30}
PORT=${BENCH_PORT:-18091}
JAVA_OPTS="${JAVA_OPTS:--Xmx1g}"
BASE=http://127.0.0.1:$PORT
OUT=$PWD/bench/results
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
RESULT=$OUT/failover-$STAMP.json

command -v node >/dev/null || { echo "node is required"; exit 1; }
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then echo "port $PORT is in use; set BENCH_PORT"; exit 1; fi

echo "== building this tree"
timeout 300 ./mvnw -B -q -o -DskipTests package
JAR=$PWD/$(ls target/tijori-*.jar | grep -v original | head -1)

DATA=$(mktemp -d /tmp/tijori-failover-XXXXXX)
LOG=$OUT/failover-$STAMP-app.log
# shellcheck disable=SC2086
( cd "$DATA" && exec env PORT="$PORT" TIJORI_DATA_DIR="$DATA/db" TIJORI_EMBEDDED_MONGO_PORT=0 TIJORI_LOG_FORMAT= \
  TIJORI_MAX_OPEN_ORDERS=1000000 TIJORI_ORDER_RATE=1000000 TIJORI_SANDBOX_WEBHOOKS=false TIJORI_SHUTDOWN_TIMEOUT=2s TIJORI_RECONCILE_ENABLED=false \
  TIJORI_ADMIN_EMAIL=failover-admin@example.com TIJORI_ADMIN_PASSWORD=failover-admin-password-1 \
  java $JAVA_OPTS -jar "$JAR" --server.address=127.0.0.1 > "$LOG" 2>&1 ) &
APP=$!
trap 'kill $APP 2>/dev/null; wait $APP 2>/dev/null; rm -rf "$DATA"' EXIT

for _ in $(seq 1 180); do
  if curl -fs "$BASE/actuator/health/readiness" > /dev/null; then break; fi
  if ! kill -0 $APP 2>/dev/null; then tail -50 "$LOG"; exit 1; fi
  sleep 1
done

echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== POST /api/orders, c=$CONCURRENCY, each mode: ${WARMUP}s warm-up (healthy), then ${MEASURED}s with Razorpay hanging"
BENCH_ADMIN_EMAIL=failover-admin@example.com BENCH_ADMIN_PASSWORD=failover-admin-password-1 \
  timeout $(( 2 * (WARMUP + MEASURED + 150) )) node bench/failover.mjs "$BASE" "$CONCURRENCY" "$WARMUP" "$MEASURED" \
  > "$RESULT"
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

node - "$RESULT" <<'JS'
const fs = require('fs');
const r = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const rows = [
  ['orders/s (201)', (m) => m.ordersPerSecond],
  ['503 share', (m) => m.share503],
  ['requests', (m) => m.requests],
  ['201 p50 ms', (m) => m.p50Ms],
  ['201 p99 ms', (m) => m.p99Ms],
  ['all p99 ms', (m) => m.allP99Ms],
  ['requests that waited ~10 s', (m) => m.waitedTenSeconds],
  ['orders by gateway', (m) => JSON.stringify(m.byGateway)],
  ['statuses', (m) => JSON.stringify(m.byStatus)],
  ['load average before', (m) => m.loadAverageBefore[0]],
];
const table = [['', 'without failover (gateway: razorpay)', 'with failover (auto)']];
for (const [name, f] of rows) table.push([name, String(f(r.without)), String(f(r.with))]);
const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
const line = (row) => '| ' + row.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
console.log(`\nRazorpay hanging, c=${r.concurrency}, ${r.seconds}s measured per mode after ${r.warmupSeconds}s healthy warm-up`);
console.log([line(table[0]), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...table.slice(1).map(line)].join('\n'));
console.log(`raw results: ${process.argv[2]}`);
JS
