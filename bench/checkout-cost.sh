#!/usr/bin/env bash
# What a checkout costs, old vs new, in one run: builds this tree's jar and the baseline commit's jar, starts the
# Razorpay sandbox as its own JVM (so its CPU is not Tijori's), then for each jar in turn starts Tijori on
# 127.0.0.1 in live mode against that sandbox and measures POST /api/orders at 200 closed-loop connections
# (orders/s, p50/p99, non-201 share, process CPU and MongoDB commands per order, the embedded store's commits per
# second and writes per commit), plus GET /api/products and
# liveness with wrk. Prints one table and writes the raw results to bench/results/checkout-cost-<time>.json.
#
# Usage: bench/checkout-cost.sh [--baseline <commit> | --no-baseline] [--mongodb-uri <uri> | --external-mongo]
#   --no-baseline        measures this tree alone (quick iterations; not a comparison)
#   --mongodb-uri <uri>  both versions use this MongoDB (each its own fresh database) instead of the embedded one
#   --external-mongo     starts Tijori's embedded database standalone (its own JVM, a fresh file) per version and
#                        points MONGODB_URI at it: the database's CPU is then not counted in Tijori's
# Environment: BENCH_CONCURRENCY (200), BENCH_WARMUP_SECONDS (30), BENCH_SECONDS (30), BENCH_PORT (18090),
#   BENCH_SANDBOX_PORT (19000), BENCH_MONGO_PORT (19017), BENCH_PROFILE (a .jfr path: records the current
#   version's measured window with JFR; BENCH_PROFILE_SETTINGS names the .jfc, `profile` by default),
#   BENCH_SANDBOX_WARMUP_SECONDS (60, before the first version: the sandbox serves both), BENCH_CURRENT_JAR and
#   BENCH_BASELINE_JAR (jars already built for this tree and for --baseline's commit: no build); actuators
#   on port + 1000. About 5 minutes on 2 cores with the default phases, bounded by BENCH_BUDGET_SECONDS
#   (480 s + twice the two phases).
set -euo pipefail
cd "$(dirname "$0")/.."

BASELINE=f9a587c
MONGODB_URI_ARG=
EXTERNAL_MONGO=false
while [ $# -gt 0 ]; do
  case "$1" in
    --baseline) BASELINE=$2; shift 2 ;;
    --no-baseline) BASELINE=; shift ;;
    --mongodb-uri) MONGODB_URI_ARG=$2; shift 2 ;;
    --external-mongo) EXTERNAL_MONGO=true; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "unknown argument $1 (see --help)"; exit 2 ;;
  esac
done

CONCURRENCY=${BENCH_CONCURRENCY:-200}
WARMUP=${BENCH_WARMUP_SECONDS:-30}
MEASURED=${BENCH_SECONDS:-30}
PORT=${BENCH_PORT:-18090}
SANDBOX_PORT=${BENCH_SANDBOX_PORT:-19000}
MONGO_PORT=${BENCH_MONGO_PORT:-19017}
THREADS=64
SANDBOX_WARMUP=${BENCH_SANDBOX_WARMUP_SECONDS:-60}
LATENCY=100ms
# the whole run: ten minutes at the default phases, more for longer ones (two versions, each warm-up + window)
BUDGET_SECONDS=${BENCH_BUDGET_SECONDS:-$((480 + SANDBOX_WARMUP + 2 * (WARMUP + MEASURED)))}
BASE=http://127.0.0.1:$PORT
SANDBOX=http://127.0.0.1:$SANDBOX_PORT
# actuator on a management port of its own (the env var also moves an older baseline jar's); /livez on the main one
MANAGEMENT=http://127.0.0.1:$((PORT + 1000))
SANDBOX_MANAGEMENT=http://127.0.0.1:$((SANDBOX_PORT + 1000))
PROBE_PATHS=MANAGEMENT_ENDPOINT_HEALTH_PROBES_ADD_ADDITIONAL_PATHS=true
OUT=$PWD/bench/results
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
RESULT=$OUT/checkout-cost-$STAMP.json
LOGS=$OUT/checkout-cost-$STAMP
mkdir -p "$LOGS"

command -v node >/dev/null || { echo "node is required"; exit 1; }
if ! command -v wrk >/dev/null; then
  echo "installing wrk (Debian package)"; apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi
for p in "$PORT" "$SANDBOX_PORT" "$MONGO_PORT" $((PORT + 1000)) $((SANDBOX_PORT + 1000)); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "port $p is in use; set BENCH_*PORT"; exit 1; fi
done

WORK=$(mktemp -d /tmp/tijori-cost-XXXXXX)
PIDS=()
WATCHDOG=

stop_pid() { # pid: TERM, then KILL after 15 s
  local pid=$1
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  local keep=() p
  for p in "${PIDS[@]}"; do [ "$p" = "$pid" ] || keep+=("$p"); done
  PIDS=("${keep[@]}")
}
cleanup() {
  set +e
  local pid
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
  if [ -n "$WATCHDOG" ]; then
    pkill -P "$WATCHDOG" 2>/dev/null; kill "$WATCHDOG" 2>/dev/null; wait "$WATCHDOG" 2>/dev/null
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'echo "interrupted"; exit 130' INT TERM
# the whole run is bounded: every step below has its own timeout, and this ends the script past the budget
( exec 2>/dev/null; sleep "$BUDGET_SECONDS" && echo "time budget of ${BUDGET_SECONDS}s exceeded, stopping" && kill -TERM $$ ) &
WATCHDOG=$!

wait_up() { # url pid log: waits for 200 on url while pid lives, up to 150 s
  for _ in $(seq 1 300); do
    curl -sf -o /dev/null "$1" && return 0
    kill -0 "$2" 2>/dev/null || { echo "process $2 exited; see $3"; return 1; }
    sleep 0.5
  done
  echo "$1 did not come up; see $3"; return 1
}

echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

if [ -n "${BENCH_CURRENT_JAR:-}" ]; then
  echo "== current: $BENCH_CURRENT_JAR (not built)"
  cp "$BENCH_CURRENT_JAR" "$WORK/current.jar"
else
  echo "== building current tree"
  timeout 240 ./mvnw -B -q -DskipTests package
  CURRENT_JAR=$(ls target/tijori-*.jar | grep -v original | head -1)
  cp "$CURRENT_JAR" "$WORK/current.jar"
fi

[ -z "$BASELINE" ] || echo "== baseline $BASELINE: ${BENCH_BASELINE_JAR:-built from git archive into $WORK/baseline-src}"
BASELINE_JAR=
BASELINE_ERROR=
mkdir -p "$WORK/baseline-src"
if [ -z "$BASELINE" ]; then
  BASELINE_ERROR="no baseline asked for"
elif [ -n "${BENCH_BASELINE_JAR:-}" ]; then
  BASELINE_JAR=$WORK/baseline.jar
  cp "$BENCH_BASELINE_JAR" "$BASELINE_JAR"
elif ! git archive "$BASELINE" | tar -x -C "$WORK/baseline-src"; then
  BASELINE_ERROR="git archive $BASELINE failed"
elif ! (cd "$WORK/baseline-src" && timeout 240 ./mvnw -B -q -DskipTests package > "$LOGS/baseline-build.log" 2>&1); then
  BASELINE_ERROR="baseline build failed (see $LOGS/baseline-build.log)"
else
  BASELINE_JAR=$WORK/baseline.jar
  cp "$(ls "$WORK"/baseline-src/target/tijori-*.jar | grep -v original | head -1)" "$BASELINE_JAR"
fi
rm -rf "$WORK/baseline-src"
[ -z "$BASELINE_ERROR" ] || echo "!! $BASELINE_ERROR: measuring the current version alone"

# The sandbox: this tree's jar, sandbox profile only, its own embedded MongoDB, webhooks off, 100 ms per API call.
echo "== starting the Razorpay sandbox on $SANDBOX (latency $LATENCY, webhooks off)"
mkdir -p "$WORK/sandbox"
( cd "$WORK/sandbox" && exec env SPRING_PROFILES_ACTIVE=sandbox PORT="$SANDBOX_PORT" MANAGEMENT_SERVER_PORT=$((SANDBOX_PORT + 1000)) \
  TIJORI_EMBEDDED_MONGO_PORT=0 \
  TIJORI_DATA_DIR="$WORK/sandbox/data" TIJORI_SANDBOX_LATENCY=$LATENCY TIJORI_SANDBOX_WEBHOOKS=false \
  RAZORPAY_WEBHOOK_SECRET=cost_bench_webhook_secret TIJORI_SHUTDOWN_TIMEOUT=2s \
  java -Xms256m -Xmx1g -jar "$WORK/current.jar" --server.address=127.0.0.1 --logging.level.root=warn \
  > "$LOGS/sandbox.log" 2>&1 ) &
SANDBOX_PID=$!
PIDS+=("$SANDBOX_PID")
wait_up "$SANDBOX_MANAGEMENT/actuator/health/readiness" "$SANDBOX_PID" "$LOGS/sandbox.log"
# The sandbox serves both versions, one after the other: warmed up first, it costs the first one no more of the
# two cores than the second (its JIT otherwise still compiles through the first version's window)
echo "== warming the sandbox up: ${SANDBOX_WARMUP}s of Razorpay order creations at c=64"
timeout $((SANDBOX_WARMUP + 30)) node -e '
  const [url, seconds] = process.argv.slice(1);
  const auth = "Basic " + Buffer.from("rzp_test_sandboxTijori1:tijori_sandbox_secret").toString("base64");
  const end = Date.now() + seconds * 1000;
  let ok = 0, failed = 0;
  const loop = async () => {
    while (Date.now() < end) {
      const r = await fetch(url, { method: "POST", headers: { authorization: auth, "content-type": "application/json" },
        body: JSON.stringify({ amount: 12300, currency: "INR", receipt: "warm-up" }) }).catch(() => null);
      if (r && r.ok) { ok++; await r.arrayBuffer(); } else { failed++; if (r) await r.arrayBuffer(); }
    }
  };
  Promise.all(Array.from({ length: 64 }, loop)).then(() => console.log(`   ${ok} created, ${failed} failed`));
' "$SANDBOX/sandbox/razorpay/v1/orders" "$SANDBOX_WARMUP"

# Tijori's embedded database run standalone (embedded/StandaloneMongo from the current jar: group commit, typed
# keys, indexed ranges), one fresh file per version, for --external-mongo.
start_external_mongo() { # label → sets MONGO_PID
  local dir=$WORK/mongo-$1
  mkdir -p "$dir"
  [ -d "$WORK/libs" ] || (cd "$WORK" && java -Djarmode=tools -jar "$WORK/current.jar" extract \
    --destination "$WORK/libs" >/dev/null)
  java -Xmx512m -cp "$WORK/libs/current.jar:$WORK/libs/lib/*" com.tijorihq.tijori.embedded.StandaloneMongo \
    127.0.0.1 "$MONGO_PORT" "$dir/db.mv.db" > "$LOGS/mongo-$1.log" 2>&1 &
  MONGO_PID=$!
  PIDS+=("$MONGO_PID")
  for _ in $(seq 1 120); do
    grep -q 'listening' "$LOGS/mongo-$1.log" && return 0
    kill -0 "$MONGO_PID" 2>/dev/null || { echo "mongo exited; see $LOGS/mongo-$1.log"; return 1; }
    sleep 0.5
  done
  return 1
}

settle() { # pid → seconds until the process used under a tenth of a core over 2 s (at most 60)
  local ticks; ticks=$(getconf CLK_TCK)
  local waited=0 before after
  while [ "$waited" -lt 60 ]; do
    before=$(awk '{print $14 + $15}' "/proc/$1/stat")
    sleep 2; waited=$((waited + 2))
    after=$(awk '{print $14 + $15}' "/proc/$1/stat")
    [ $(( (after - before) * 10 )) -lt $((ticks * 2)) ] && break
  done
  echo "$waited"
}

wrk_get() { # label path → "rps p50 p99" (3 s warm-up, 10 s measured, wrk -t2 -c64)
  timeout 30 wrk -t2 -c64 -d3s "$BASE$2" >/dev/null
  local out; out=$(timeout 30 wrk -t2 -c64 -d10s --latency "$BASE$2")
  echo "$out" > "$LOGS/$1-wrk$(echo "$2" | tr -c 'a-z0-9\n' '_').txt"
  local non2xx; non2xx=$(echo "$out" | awk '/Non-2xx/{print $5}')
  echo "$(echo "$out" | awk '/Requests\/sec/{print $2}') $(echo "$out" | awk '$1=="50%"{print $2}')" \
    "$(echo "$out" | awk '$1=="99%"{print $2}') ${non2xx:-0}"
}

measure() { # label jar: one Tijori, measured, stopped; writes $WORK/<label>.json
  local label=$1 jar=$2
  local data=$WORK/$label
  mkdir -p "$data"
  local mongo_env=()
  if [ -n "$MONGODB_URI_ARG" ]; then
    mongo_env=(MONGODB_URI="$MONGODB_URI_ARG" MONGODB_DATABASE="tijori_cost_${label}_$STAMP")
  elif [ "$EXTERNAL_MONGO" = true ]; then
    start_external_mongo "$label" || return 1
    mongo_env=(MONGODB_URI="mongodb://127.0.0.1:$MONGO_PORT" MONGODB_DATABASE="tijori_cost_$label")
  fi
  local jfr=()
  if [ -n "${BENCH_PROFILE:-}" ] && [ "$label" = current ]; then
    jfr=("-XX:StartFlightRecording=delay=$((WARMUP + 25))s,duration=$((MEASURED - 5))s,settings=${BENCH_PROFILE_SETTINGS:-profile},filename=$BENCH_PROFILE")
  fi
  echo "== $label: starting Tijori on $BASE (live mode against the sandbox, $THREADS gateway threads, -Xmx1g)"
  ( cd "$data" && exec env "${mongo_env[@]}" PORT="$PORT" MANAGEMENT_SERVER_PORT=$((PORT + 1000)) "$PROBE_PATHS" \
    TIJORI_DATA_DIR="$data/db" TIJORI_EMBEDDED_MONGO_PORT=0 \
    RAZORPAY_KEY_ID=rzp_test_sandboxTijori1 RAZORPAY_KEY_SECRET=tijori_sandbox_secret \
    RAZORPAY_WEBHOOK_SECRET=cost_bench_webhook_secret RAZORPAY_API_BASE_URL="$SANDBOX/sandbox/razorpay" \
    TIJORI_GATEWAY_THREADS=$THREADS TIJORI_ADMIN_EMAIL=cost-admin@example.com \
    TIJORI_ADMIN_PASSWORD=cost-admin-password-1 TIJORI_SHUTDOWN_TIMEOUT=2s TIJORI_RECONCILE_ENABLED=false \
    TIJORI_GATEWAY_ALLOW_MIXED_MODES=true TIJORI_MAX_OPEN_ORDERS=1000000 TIJORI_ORDER_RATE=1000000 \
    java -Xms1g -Xmx1g "${jfr[@]}" -jar "$jar" --server.address=127.0.0.1 --logging.level.root=warn \
    > "$LOGS/$label-app.log" 2>&1 ) &
  local pid=$!
  APP_PID=$pid
  PIDS+=("$pid")
  wait_up "$MANAGEMENT/actuator/health/readiness" "$pid" "$LOGS/$label-app.log" || return 1
  # live mode: the in-app sandbox must be off, every gateway call goes to the sandbox JVM
  if curl -sf -o /dev/null -H "X-Sandbox-Key: tijori_sandbox_secret" "$BASE/sandbox/razorpay/_faults"; then
    echo "$label is not in live mode (its own sandbox answers)"; return 1
  fi
  echo "== $label: load average $(cut -d' ' -f1-3 /proc/loadavg); POST /api/orders, c=$CONCURRENCY, ${WARMUP}s warm-up then ${MEASURED}s measured"
  BENCH_ADMIN_EMAIL=cost-admin@example.com BENCH_ADMIN_PASSWORD=cost-admin-password-1 \
    BENCH_METRICS_URL="$MANAGEMENT/actuator/prometheus" \
    timeout $((WARMUP + MEASURED + 120)) node bench/checkout-cost.mjs "$BASE" "$pid" "$SANDBOX_PID" "$CONCURRENCY" "$WARMUP" \
    "$MEASURED" > "$WORK/$label-checkout.json" || return 1
  # the checkout phase leaves work behind (events to relay, the JIT, the store's writer), more of it the more
  # orders a version took: the read paths are measured once the process is back at rest, or after 60 s
  local settled; settled=$(settle "$pid")
  echo "== $label: at rest after ${settled}s; GET /api/products and /livez (wrk -t2 -c64, 10 s each)"
  local products liveness
  products=$(wrk_get "$label" /api/products) || return 1
  liveness=$(wrk_get "$label" /livez) || return 1
  node -e '
    const [checkout, products, liveness] = process.argv.slice(1);
    const get = (s) => { const [rps, p50, p99, non2xx] = s.split(" "); return { rps: Number(rps), p50, p99, non2xx: Number(non2xx) }; };
    const c = JSON.parse(require("fs").readFileSync(checkout, "utf8"));
    console.log(JSON.stringify({ checkout: c, products: get(products), liveness: get(liveness) }));
  ' "$WORK/$label-checkout.json" "$products" "$liveness" > "$WORK/$label.json"
}
stop_measured() { # the Tijori (and standalone MongoDB) of the last measure, whether it succeeded or not
  [ -z "${APP_PID:-}" ] || { stop_pid "$APP_PID"; APP_PID=; }
  [ -z "${MONGO_PID:-}" ] || { stop_pid "$MONGO_PID"; MONGO_PID=; }
}

APP_PID=
MONGO_PID=
if [ -n "$BASELINE_JAR" ]; then
  if ! measure baseline "$BASELINE_JAR"; then
    BASELINE_ERROR="baseline did not start or run (see $LOGS/baseline-app.log)"
    echo "!! $BASELINE_ERROR"
  fi
  stop_measured
fi
measure current "$WORK/current.jar" || { echo "current did not start or run (see $LOGS/current-app.log)"; exit 1; }
stop_measured
if [ -n "$MONGODB_URI_ARG" ]; then DB_DESC="MONGODB_URI (given)"
elif [ "$EXTERNAL_MONGO" = true ]; then DB_DESC="standalone mongo-java-server JVM"
else DB_DESC="embedded, in-process"; fi

node - "$WORK" "$RESULT" "$BASELINE" "$BASELINE_ERROR" "$STAMP" "$CONCURRENCY" "$THREADS" "$LATENCY" "$DB_DESC" <<'JS'
const fs = require('fs');
const [work, result, baselineRef, baselineError, stamp, concurrency, threads, latency, mongo] = process.argv.slice(2);
const read = (l) => (fs.existsSync(`${work}/${l}.json`) ? JSON.parse(fs.readFileSync(`${work}/${l}.json`, 'utf8')) : null);
const base = read('baseline'), cur = read('current');
fs.writeFileSync(result, JSON.stringify({ stamp, baselineRef, baselineError: baselineError || null, concurrency: +concurrency,
  gatewayThreads: +threads, sandboxLatency: latency, database: mongo, baseline: base, current: cur }, null, 2) + '\n');
const ms = (s) => (s == null ? null : s.endsWith('us') ? parseFloat(s) / 1000 : s.endsWith('ms') ? parseFloat(s) : parseFloat(s) * 1000);
const rows = [
  ['orders/s', (r) => r.checkout.ordersPerSecond, 'higher'],
  ['order p50 ms', (r) => r.checkout.p50Ms],
  ['order p99 ms', (r) => r.checkout.p99Ms],
  ['non-201 share', (r) => r.checkout.non201Share],
  ['CPU ms per order', (r) => r.checkout.cpuMsPerOrder],
  ['  of which JIT compiler', (r) => r.checkout.jitCpuMsPerOrder],
  ['  of which garbage collector', (r) => r.checkout.gcCpuMsPerOrder],
  ['CPU stolen by the hypervisor', (r) => r.checkout.stealShare],
  ['cores busy (Tijori)', (r) => r.checkout.cpuCoresBusy],
  ['sandbox CPU ms per order', (r) => r.checkout.sandboxCpuMsPerOrder],
  ['load average before window', (r) => r.checkout.loadAverageBefore[0]],
  ['DB commands per order', (r) => r.checkout.mongoCommandsPerOrder],
  ['embedded store commits/s', (r) => r.checkout.embeddedCommitsPerSecond],
  ['embedded writes per commit', (r) => r.checkout.embeddedWritesPerCommit],
  ['GET /api/products rps', (r) => r.products.rps],
  ['GET /api/products p99 ms', (r) => ms(r.products.p99)],
  ['liveness rps', (r) => r.liveness.rps],
  ['liveness p99 ms', (r) => ms(r.liveness.p99)],
];
const fmt = (v) => (v == null || Number.isNaN(v) ? 'n/a' : String(+(+v).toFixed(3)));
const table = [['', `baseline ${baselineRef}`, 'current', 'ratio current/baseline']];
for (const [name, f] of rows) {
  const b = base ? f(base) : null, c = cur ? f(cur) : null;
  table.push([name, base ? fmt(b) : 'failed', fmt(c), b != null && c != null && b !== 0 ? (c / b).toFixed(2) : 'n/a']);
}
const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
const line = (r) => '| ' + r.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
console.log(`\nPOST /api/orders at c=${concurrency}, ${threads} gateway threads, sandbox ${latency} in its own JVM, database: ${mongo}`);
console.log([line(table[0]), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...table.slice(1).map(line)].join('\n'));
if (baselineError) console.log(`baseline: ${baselineError}`);
console.log(`raw results: ${result}`);
JS
