#!/usr/bin/env bash
# Tijori benchmarks: builds the jar, starts Tijori on its embedded defaults with the gateway sandbox (bench profile)
# on 127.0.0.1, runs each scenario with its baseline in the same run, bounded in count and time, and prints a table.
# Usage: bench/run-all.sh            (about 5 minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${BENCH_PORT:-18080}
BASE=http://127.0.0.1:$PORT
# actuator lives on its own port (management.server.port); the main port has /livez and /readyz
MANAGEMENT_PORT=${BENCH_MANAGEMENT_PORT:-$((PORT + 1000))}
THREADS=${BENCH_GATEWAY_THREADS:-8}        # gateway pool T
LATENCY_MS=${BENCH_SANDBOX_LATENCY_MS:-100} # sandbox latency L
QUEUE=${BENCH_GATEWAY_QUEUE:-1}            # queued calls per gateway thread
SECONDS_PER_STEP=${BENCH_SECONDS:-10}
OUT=bench/results
mkdir -p "$OUT"

if ! command -v wrk >/dev/null; then
  echo "installing wrk (Debian package)"; apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi
command -v node >/dev/null || { echo "node is required"; exit 1; }

echo "== building"
./mvnw -B -q -DskipTests package
JAR=$(ls target/tijori-*.jar | grep -v original | head -1)
DATA=$(mktemp -d)

echo "== starting Tijori (bench profile, T=$THREADS, L=${LATENCY_MS}ms, queue=$QUEUE per thread)"
SPRING_PROFILES_ACTIVE=bench PORT=$PORT MANAGEMENT_SERVER_PORT=$MANAGEMENT_PORT TIJORI_DATA_DIR=$DATA TIJORI_EMBEDDED_MONGO_PORT=0 \
  TIJORI_GATEWAY_THREADS=$THREADS TIJORI_GATEWAY_QUEUE=$QUEUE TIJORI_SANDBOX_LATENCY=${LATENCY_MS}ms \
  TIJORI_SANDBOX_WEBHOOKS=false TIJORI_ADMIN_EMAIL=bench-admin@example.com TIJORI_ADMIN_PASSWORD=bench-admin-pass \
  TIJORI_MAX_OPEN_ORDERS=1000000 TIJORI_ORDER_RATE=1000000 \
  java -Xms512m -Xmx1g -jar "$JAR" --server.address=127.0.0.1 --logging.level.root=warn > "$OUT/app.log" 2>&1 &
APP=$!
trap 'kill $APP 2>/dev/null || true; wait $APP 2>/dev/null || true; rm -rf "$DATA"' EXIT
for _ in $(seq 1 120); do
  curl -sf "$BASE/readyz" >/dev/null && break
  sleep 0.5
done
curl -sf "$BASE/readyz" >/dev/null || { echo "Tijori did not start; see $OUT/app.log"; exit 1; }

wrk_rps() { # url → "rps p50 p99"
  local out; out=$(wrk -t2 -c64 -d${SECONDS_PER_STEP}s --latency "$1")
  echo "$out" > "$OUT/wrk-$(echo "$1" | tr -c 'a-z0-9' '_').txt"
  local rps p50 p99
  rps=$(echo "$out" | awk '/Requests\/sec/{print $2}')
  p50=$(echo "$out" | awk '$1=="50%"{print $2}')
  p99=$(echo "$out" | awk '$1=="99%"{print $2}')
  echo "$rps $p50 $p99"
}

echo "== 1. physical limit: bare hello route vs GET /api/products (wrk -t2 -c64, ${SECONDS_PER_STEP}s each, after 5 s warm-up)"
wrk -t2 -c64 -d5s "$BASE/bench/hello" >/dev/null; wrk -t2 -c64 -d5s "$BASE/api/products" >/dev/null
read -r HELLO_RPS HELLO_P50 HELLO_P99 < <(wrk_rps "$BASE/bench/hello")
read -r PROD_RPS PROD_P50 PROD_P99 < <(wrk_rps "$BASE/api/products")

echo "== 2. checkout throughput at rising concurrency (bound T/L = $THREADS / ${LATENCY_MS} ms)"
node bench/scenarios.mjs "$BASE" checkout 2,4,8,16 "$SECONDS_PER_STEP" > "$OUT/checkout.json"

echo "== 3. saturation: 4x the gateway capacity, with /livez probed meanwhile"
CAPACITY=$((THREADS * (1 + QUEUE)))
node bench/scenarios.mjs "$BASE" saturation $((CAPACITY * 4)) "$SECONDS_PER_STEP" > "$OUT/saturation.json"

echo "== 6. checkout per gateway: c=$((THREADS * (1 + QUEUE))), every sandbox API answering in ${LATENCY_MS} ms"
SANDBOX_KEY="X-Sandbox-Key: ${TIJORI_SANDBOX_KEY_SECRET:-tijori_sandbox_secret}"
curl -sf -X PUT -H "$SANDBOX_KEY" -H 'Content-Type: application/json' -d "{\"latencyMs\":$LATENCY_MS}" "$BASE/sandbox/paytm/_faults" >/dev/null
curl -sf -X PUT -H "$SANDBOX_KEY" -H 'Content-Type: application/json' -d "{\"latencyMs\":$LATENCY_MS}" "$BASE/sandbox/payu/_faults" >/dev/null
node bench/scenarios.mjs "$BASE" gateways razorpay,paytm,payu $((THREADS * (1 + QUEUE))) "$SECONDS_PER_STEP" > "$OUT/gateways.json"

echo "== 5. full flow: register → order → pay → verify"
node bench/scenarios.mjs "$BASE" flow 4 "$SECONDS_PER_STEP" > "$OUT/flow.json"

echo "== stopping Tijori for the SSE scenario (it starts its own instance)"
kill $APP 2>/dev/null || true; wait $APP 2>/dev/null || true

SSE_N=${BENCH_SSE_SUBSCRIBERS:-2000}
echo "== 4. SSE fan-out: $SSE_N subscribers on one order, one status change"
PORT=$((PORT + 1)) bench/sse-fanout.sh "$SSE_N" > "$OUT/sse.log" 2>&1 || true
sed -n '/^{/,/^}/p' "$OUT/sse.log" > "$OUT/sse.json"
SSE_LINE=$(node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`${r.receivedPaid}/${r.subscribers} got paid, fan-out p50 ${r.fanoutMs.p50} ms p99 ${r.fanoutMs.p99} ms, ` +
    `${(r.heapPerStreamBytes / 1024).toFixed(1)} KB heap/stream`);' "$OUT/sse.json" 2>/dev/null || echo "failed: see $OUT/sse.log")

node - "$OUT" "$HELLO_RPS" "$PROD_RPS" "$HELLO_P99" "$PROD_P99" "$THREADS" "$LATENCY_MS" "$CAPACITY" "$SSE_LINE" <<'JS'
const fs = require('fs');
const [out, helloRps, prodRps, helloP99, prodP99, T, L, capacity, sse] = process.argv.slice(2);
const read = (f) => JSON.parse(fs.readFileSync(`${out}/${f}`, 'utf8'));
const checkout = read('checkout.json'), sat = read('saturation.json'), flow = read('flow.json');
const bound = (Number(T) * 1000) / Number(L);
const rows = [];
rows.push(['1 physical limit', `hello ${helloRps} rps (p99 ${helloP99})`, `/api/products ${prodRps} rps (p99 ${prodP99})`,
  `ratio ${(prodRps / helloRps).toFixed(2)} (goal >= 0.5)`]);
for (const step of checkout) {
  const ok = step.byStatus['201'] || { n: 0 };
  const rps = ok.n / step.seconds;
  rows.push([`2 checkout c=${step.concurrency}`, `${rps.toFixed(1)} orders/s, p50 ${ok.p50} ms, p99 ${ok.p99} ms`,
    `bound T/L ${bound.toFixed(0)}/s`, `ratio ${(rps / bound).toFixed(2)}${step.concurrency >= capacity ? ' (goal >= 0.9)' : ''}`]);
}
const total = sat.load.requests, s503 = (sat.load.byStatus['503'] || { n: 0, p99: null });
const bad503 = (sat.load.byStatus['503-without-retry-after'] || { n: 0 }).n;
rows.push([`3 saturation c=${sat.load.concurrency}`, `${(100 * s503.n / total).toFixed(0)}% fast 503 (p99 ${s503.p99} ms), ${bad503} without Retry-After`,
  `health p99 idle ${sat.healthIdle.p99} ms / under load ${sat.healthUnderLoad.p99} ms`,
  `ratio ${(sat.healthUnderLoad.p99 / sat.healthIdle.p99).toFixed(2)} (goal <= 2)`]);
const paid = flow.byStatus['paid'] || { n: 0 };
rows.push([`5 full flow c=${flow.concurrency}`, `${(paid.n / flow.seconds).toFixed(1)} paid orders/s`, `p50 ${paid.p50} ms, p99 ${paid.p99} ms`,
  `other outcomes: ${JSON.stringify(Object.fromEntries(Object.entries(flow.byStatus).filter(([k]) => k !== 'paid').map(([k, v]) => [k, v.n])))}`]);
const perGateway = read('gateways.json');
const rate = (g) => ((perGateway[g].byStatus['201'] || { n: 0 }).n / perGateway[g].seconds);
for (const g of Object.keys(perGateway)) {
  const ok = perGateway[g].byStatus['201'] || { n: 0 };
  const others = Object.entries(perGateway[g].byStatus).filter(([k]) => k !== '201').map(([k, v]) => `${k}: ${v.n}`);
  rows.push([`6 checkout ${g} c=${perGateway[g].concurrency}`, `${rate(g).toFixed(1)} orders/s, p50 ${ok.p50} ms, p99 ${ok.p99} ms`,
    others.length ? others.join(', ') : 'no errors', `ratio to razorpay ${(rate(g) / rate('razorpay')).toFixed(2)}`]);
}
rows.push(['4 SSE fan-out', sse, '', '']);
const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length)));
console.log('\n' + rows.map((r) => '| ' + r.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |').join('\n'));
JS
