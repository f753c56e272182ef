// What one POST /api/orders costs Tijori: run by bench/checkout-cost.sh against one Tijori on 127.0.0.1.
// Usage: node bench/checkout-cost.mjs <baseUrl> <tijoriPid> <sandboxPid> <concurrency> <warmupSeconds> <seconds>
//   env BENCH_ADMIN_EMAIL, BENCH_ADMIN_PASSWORD: the admin Tijori was started with (creates the one product)
//   env BENCH_METRICS_URL: its Prometheus endpoint, on the management port (http://127.0.0.1:<port>/actuator/prometheus)
// Prints one JSON object: orders/s, latency, status shares, process CPU and MongoDB commands per order.
import { readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const [, , base, pidArg, sandboxPidArg, concurrencyArg, warmupArg, secondsArg] = process.argv;
if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(base || '')) {
  console.error('refusing: base URL must be http://127.0.0.1:<port>');
  process.exit(2);
}
const metricsUrl = process.env.BENCH_METRICS_URL ?? '';
if (!/^http:\/\/127\.0\.0\.1:\d+\/actuator\/prometheus$/.test(metricsUrl)) {
  console.error('refusing: BENCH_METRICS_URL must be http://127.0.0.1:<port>/actuator/prometheus');
  process.exit(2);
}
const pid = Number(pidArg), sandboxPid = Number(sandboxPidArg), concurrency = Number(concurrencyArg);
const warmupSeconds = Number(warmupArg), seconds = Number(secondsArg);
const clockTicks = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());

// One buyer's cookie jar; unsafe requests echo XSRF-TOKEN as Tijori asks. fetch (undici) keeps connections alive.
class Client {
  constructor() { this.cookies = new Map(); }
  async req(method, path, body, headers = {}) {
    const h = { ...headers };
    if (this.cookies.size) h.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (method !== 'GET' && this.cookies.has('XSRF-TOKEN')) h['x-xsrf-token'] = this.cookies.get('XSRF-TOKEN');
    if (body !== undefined) h['content-type'] = 'application/json';
    const started = performance.now();
    const res = await fetch(base + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    const ms = performance.now() - started;
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      this.cookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    return { status: res.status, ms, json, text };
  }
}

let seq = 0; // Idempotency-Key suffix: every order request of the run is a new one
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

// Password hashing runs on a small bounded pool, so register a few at a time and retry the odd 503/429.
async function register(i) {
  for (let attempt = 0; attempt < 20; attempt++) {
    const c = new Client();
    await c.req('GET', '/api/auth/csrf');
    const email = `cost-${process.pid}-${i}-${attempt}@example.com`;
    const r = await c.req('POST', '/api/auth/register', { email, password: 'bench-password-1', name: 'Bench' });
    if (r.status === 201) return c;
    if (r.status !== 503 && r.status !== 429) throw new Error(`register failed: ${r.status} ${r.text}`);
    await sleep(200);
  }
  throw new Error('register kept failing');
}

async function customers(n) {
  const out = new Array(n);
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < n) { const i = next++; out[i] = await register(i); }
  }));
  return out;
}

async function product() {
  const admin = new Client();
  await admin.req('GET', '/api/auth/csrf');
  const login = await admin.req('POST', '/api/auth/login',
    { email: process.env.BENCH_ADMIN_EMAIL, password: process.env.BENCH_ADMIN_PASSWORD });
  if (login.status !== 200) throw new Error(`admin login failed: ${login.status} ${login.text}`);
  const created = await admin.req('POST', '/api/products',
    { name: 'Checkout cost bench tea, 250 g', price: { amount: 24900, currency: 'INR' } });
  if (created.status !== 201) throw new Error(`product create failed: ${created.status} ${created.text}`);
  return created.json.id;
}

function cpuTicks(of = pid) { // utime + stime of the whole process (every thread), from /proc/<pid>/stat
  const stat = readFileSync(`/proc/${of}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from 3 (state) on
  return Number(fields[11]) + Number(fields[12]);                  // fields 14 and 15
}

// CPU ticks of the JIT compiler's threads alone ("C1/C2 CompilerThreadN"): still compiling minutes into a run, it
// is a warm-up cost that a longer-running process no longer pays, so the table shows it apart
const JIT_THREADS = /^C\d CompilerThre/;
// and of the garbage collector's (G1's parallel workers, concurrent marking and refinement threads)
const GC_THREADS = /^(GC Thread|G1 )/;
function compilerTicks(of = pid, threads = JIT_THREADS) {
  let ticks = 0;
  for (const task of readdirSync(`/proc/${of}/task`)) {
    try {
      if (!threads.test(readFileSync(`/proc/${of}/task/${task}/comm`, 'utf8'))) continue;
      const stat = readFileSync(`/proc/${of}/task/${task}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch { /* the thread ended */ }
  }
  return ticks;
}

// Sums of Prometheus counters over all their label sets, null for one that is absent: the MongoDB driver's
// commands, and the embedded store's commits and the writes that waited for them (group commit).
async function counters() {
  const r = await fetch(metricsUrl);
  const text = await r.text();
  const sums = { commands: null, commits: null, writes: null };
  const names = { mongodb_driver_commands_seconds_count: 'commands', tijori_embedded_commits_total: 'commits',
    tijori_embedded_writes_total: 'writes' };
  for (const line of text.split('\n')) {
    const name = line.split(/[{ ]/, 1)[0];
    if (names[name]) sums[names[name]] = (sums[names[name]] ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sums;
}
const delta = (a, b) => (a === null || b === null ? null : b - a);

function pct(sorted, p) {
  if (!sorted.length) return null;
  return +sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))].toFixed(1);
}

// `concurrency` workers, each one buyer with one request in flight, until `secs` have passed (closed loop).
async function closedLoop(buyers, productId, secs) {
  const until = performance.now() + secs * 1000;
  const latencies = [], byStatus = {};
  const started = performance.now();
  await Promise.all(buyers.map(async (buyer, w) => {
    while (performance.now() < until) {
      let r;
      try {
        r = await buyer.req('POST', '/api/orders', { items: [{ productId, quantity: 1 }] },
          { 'idempotency-key': `cost-${process.pid}-${w}-${seq++}` });
      } catch (e) {
        r = { status: 'error', ms: 0 };
      }
      byStatus[r.status] = (byStatus[r.status] || 0) + 1;
      if (r.status === 201) latencies.push(r.ms);
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const requests = Object.values(byStatus).reduce((a, b) => a + b, 0);
  return { elapsed, requests, orders: byStatus[201] || 0, byStatus, p50: pct(latencies, 50), p99: pct(latencies, 99) };
}

const productId = await product();
const buyers = await customers(concurrency);
const warm = await closedLoop(buyers, productId, warmupSeconds);
// Between the phases nothing is in flight, so the deltas below belong to the measured requests alone (plus
// Tijori's own background work: the events tail, the reconciler).
const load0 = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
// the box's CPU time stolen by the hypervisor for other guests, from /proc/stat: a run with much of it is slower
// for reasons outside both versions
const boxTicks = () => readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
const box0 = boxTicks();
const sandbox0 = cpuTicks(sandboxPid), cpu0 = cpuTicks(), jit0 = compilerTicks(), gc0 = compilerTicks(pid, GC_THREADS);
const counters0 = await counters();
const run = await closedLoop(buyers, productId, seconds);
const cpu1 = cpuTicks(), jit1 = compilerTicks(), gc1 = compilerTicks(pid, GC_THREADS), sandbox1 = cpuTicks(sandboxPid);
const counters1 = await counters();
const box1 = boxTicks();
const boxTotal = box1.reduce((sum, v, i) => sum + v - box0[i], 0);
const cmd0 = counters0.commands, cmd1 = counters1.commands;
const commits = delta(counters0.commits, counters1.commits), writes = delta(counters0.writes, counters1.writes);

const cpuMs = ((cpu1 - cpu0) * 1000) / clockTicks;
console.log(JSON.stringify({
  concurrency,
  loadAverageBefore: load0,
  warmup: { seconds: +warm.elapsed.toFixed(2), requests: warm.requests, byStatus: warm.byStatus },
  seconds: +run.elapsed.toFixed(2),
  requests: run.requests,
  orders: run.orders,
  ordersPerSecond: +(run.orders / run.elapsed).toFixed(1),
  p50Ms: run.p50,
  p99Ms: run.p99,
  byStatus: run.byStatus,
  non201Share: run.requests ? +((run.requests - run.orders) / run.requests).toFixed(4) : null,
  cpuMs: +cpuMs.toFixed(0),
  cpuMsPerOrder: run.orders ? +(cpuMs / run.orders).toFixed(3) : null,
  cpuCoresBusy: +(cpuMs / 1000 / run.elapsed).toFixed(2),
  jitCpuMsPerOrder: run.orders ? +(((jit1 - jit0) * 1000) / clockTicks / run.orders).toFixed(3) : null,
  gcCpuMsPerOrder: run.orders ? +(((gc1 - gc0) * 1000) / clockTicks / run.orders).toFixed(3) : null,
  stealShare: boxTotal ? +((box1[7] - box0[7]) / boxTotal).toFixed(4) : null,
  sandboxCpuMsPerOrder: run.orders ? +(((sandbox1 - sandbox0) * 1000) / clockTicks / run.orders).toFixed(3) : null,
  mongoCommands: cmd0 === null || cmd1 === null ? null : cmd1 - cmd0,
  mongoCommandsPerOrder: cmd0 === null || cmd1 === null || !run.orders ? null : +((cmd1 - cmd0) / run.orders).toFixed(2),
  // embedded store only (null with an external database, or a version without group commit)
  embeddedCommitsPerSecond: commits === null ? null : +(commits / run.elapsed).toFixed(1),
  embeddedWritesPerCommit: commits === null || writes === null || !commits ? null : +(writes / commits).toFixed(2),
}));
