// SSE fan-out load client (Node 18+, no dependencies). Opens N status streams spread over ORDERS orders (default
// one), pays every order at once (sandbox payment, then all the verifies together), and reports how long the `paid`
// event took to reach the subscribers, whether each stream got it exactly once, and the server heap used per open
// stream. Talks to 127.0.0.1 only. See bench/sse-fanout.sh.
import http from 'node:http';
import net from 'node:net';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:18080';
// Prometheus is on the management port (sse-fanout.sh: PORT + 1000 unless MANAGEMENT_PORT is set)
const METRICS_URL = process.env.METRICS_URL
  ?? BASE.replace(/:(\d+)$/, (_, port) => `:${Number(port) + 1000}`) + '/actuator/prometheus';
const N = Number(process.env.SUBSCRIBERS ?? 10000);
const ORDERS = Number(process.env.ORDERS ?? 1);
const OPEN_CONCURRENCY = Number(process.env.OPEN_CONCURRENCY ?? 200);
const DEADLINE_MS = Number(process.env.DEADLINE_MS ?? 240000 * Number(process.env.ROUNDS ?? 1));
const SERVER_PID = process.env.SERVER_PID;
const TARGET = new URL(BASE);

const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
const cookies = new Map();
const started = Date.now();
setTimeout(() => { console.error(`deadline of ${DEADLINE_MS} ms reached`); process.exit(2); }, DEADLINE_MS).unref();

function request(method, path, body, extraHeaders = {}) {
  return new Promise((resolve, reject) => {
    const headers = { ...extraHeaders, Cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
    if (method !== 'GET' && cookies.has('XSRF-TOKEN')) headers['X-XSRF-TOKEN'] = cookies.get('XSRF-TOKEN');
    let payload;
    if (body !== undefined) { payload = JSON.stringify(body); headers['Content-Type'] = 'application/json'; }
    const req = http.request(BASE + path, { method, headers, agent }, (res) => {
      for (const c of res.headers['set-cookie'] ?? []) {
        const [pair] = c.split(';');
        const i = pair.indexOf('=');
        cookies.set(pair.slice(0, i), pair.slice(i + 1));
      }
      let data = '';
      res.on('data', (d) => { data += d; });
      res.on('end', () => {
        if (res.statusCode >= 400) reject(new Error(`${method} ${path} -> ${res.statusCode} ${data}`));
        else resolve(data ? JSON.parse(data) : null);
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

async function heapBytes() {
  if (SERVER_PID) execFileSync('jcmd', [SERVER_PID, 'GC.run'], { stdio: 'ignore' });
  const text = await new Promise((resolve, reject) => {
    http.get(METRICS_URL, { agent }, (res) => {
      let d = ''; res.on('data', (x) => { d += x; }); res.on('end', () => resolve(d));
    }).on('error', reject);
  });
  return text.split('\n')
    .filter((l) => l.startsWith('jvm_memory_used_bytes{') && l.includes('area="heap"'))
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

// one stream, over a plain socket: at 10 000 streams Node's http module costs more per event than the server does,
// and the client (one thread, sharing the two cores) would be what is measured. Resolves when the first status
// event arrives; records when `paid` arrives, and counts a second `paid` on the same stream. Works on the raw
// bytes: each event is one chunk of the chunked body, and a chunk that is not `paid` (a heartbeat, another status)
// costs a byte search, not a decode and a JSON parse.
const PAID = Buffer.from('"status":"paid"');
const DATA = Buffer.from('data:');
const HEAD_END = Buffer.from('\r\n\r\n');
const LAST_CHUNK = Buffer.from('\r\n0\r\n\r\n');
function subscribe(orderId, cookieHeader, stats) {
  return new Promise((resolveOpen, rejectOpen) => {
    const socket = net.connect(Number(TARGET.port), TARGET.hostname);
    let head = null; // bytes until the response head is complete, then true
    let opened = false;
    let gotPaid = false;
    let carry = null;
    const fail = (error) => { if (!opened) { opened = true; rejectOpen(error); } else stats.errors++; };
    socket.on('connect', () => socket.write(`GET /api/orders/${orderId}/events HTTP/1.1\r\nHost: ${TARGET.host}\r\n`
      + `Accept: text/event-stream\r\nCookie: ${cookieHeader}\r\n\r\n`));
    socket.on('data', (chunk) => {
      if (head !== true) {
        head = head ? Buffer.concat([head, chunk]) : chunk;
        const i = head.indexOf(HEAD_END);
        if (i < 0) return;
        const status = Number(head.toString('latin1', 9, 12));
        if (status !== 200) { fail(new Error(`stream -> ${status}`)); socket.destroy(); return; }
        chunk = head.subarray(i + 4);
        head = true;
      }
      // a read that does not end at a chunk's CRLF (SSE lines end in LF only) waits for the rest of its event
      if (carry) { chunk = Buffer.concat([carry, chunk]); carry = null; }
      if (chunk.length < 2 || chunk[chunk.length - 2] !== 13 || chunk[chunk.length - 1] !== 10) {
        carry = chunk;
        return;
      }
      // the first status event (the order's current status) means the stream is open
      if (!opened && chunk.indexOf(DATA) >= 0) { opened = true; resolveOpen(); }
      const p = chunk.indexOf(PAID);
      if (p >= 0) {
        const now = performance.timeOrigin + performance.now();
        if (gotPaid) { stats.duplicates++; }
        else {
          gotPaid = true;
          // the data line is one JSON object on one line: {"orderId":..,"status":"paid","at":"..."}
          const d = chunk.lastIndexOf(DATA, p);
          const nl = chunk.indexOf(10, p);
          const event = JSON.parse(chunk.toString('utf8', d + 5, nl));
          stats.latencies.push(now - Date.parse(event.at));
        }
      }
      // the body's last chunk, after an event's chunk in the same read or on its own
      if (chunk.indexOf(LAST_CHUNK) >= 0 || chunk.indexOf(LAST_CHUNK.subarray(2)) === 0) { stats.ended++; socket.end(); }
    });
    socket.on('error', fail);
  });
}

const phase = (what) => console.error(`[${((Date.now() - started) / 1000).toFixed(1)} s, ${new Date().toISOString().slice(11, 23)}] ${what}`);

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

// runs `task(i)` for i in [0, count), `width` at a time
async function pool(count, width, task) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, count) }, async () => {
    while (next < count) await task(next++);
  }));
}

// the server's CPU time so far (utime + stime, in clock ticks of 10 ms)
function serverTicks() {
  if (!SERVER_PID) return NaN;
  const { user, sys } = cpuTicks(`/proc/${SERVER_PID}/stat`);
  return user + sys;
}

// of which in the kernel (stime): system calls, and on loopback the TCP work of both ends of a write
function serverSysTicks() {
  return SERVER_PID ? cpuTicks(`/proc/${SERVER_PID}/stat`).sys : NaN;
}

// a process's or thread's name, and its utime and stime in clock ticks, from its /proc stat file (the name, in
// parentheses, may itself hold spaces and parentheses: the fields are counted from the last one)
function cpuTicks(path) {
  const stat = readFileSync(path, 'latin1');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), user: Number(f[11]), sys: Number(f[12]) };
}

// the server's CPU per thread group (threads named alike: reactor-http-epoll-1..4 are one group) in clock ticks,
// from /proc/<pid>/task: where the fan-out's CPU went
function threadTicks() {
  const groups = new Map();
  if (!SERVER_PID) return groups;
  for (const tid of readdirSync(`/proc/${SERVER_PID}/task`)) {
    try {
      const { name, user, sys } = cpuTicks(`/proc/${SERVER_PID}/task/${tid}/stat`);
      const group = name.replace(/[-#]?\d+$/g, '').replace(/\d+/g, 'N');
      groups.set(group, (groups.get(group) ?? 0) + user + sys);
    } catch { /* the thread ended */ }
  }
  return groups;
}

function ticksSince(before) {
  const out = {};
  for (const [name, ticks] of threadTicks()) {
    const used = (ticks - (before.get(name) ?? 0)) * 10;
    if (used > 0) out[name] = used;
  }
  return Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1]));
}

// a round nobody measures, on orders of its own, before the measured one (WARMUP_ORDERS orders with WARMUP_WATCHERS
// streams each: opened, paid, verified, every `paid` awaited): the JVM has then compiled the open, verify and
// delivery paths, as a running instance has, instead of compiling them during the measured round. Off (0) by default,
// which measures a freshly started JVM as before.
// the orders are paid through the Razorpay sandbox, so they name Razorpay: after a round's verifies its health probe
// may have timed out, and an order naming no gateway would then go to another one (failover)
const ORDER = (productId) => ({ items: [{ productId, quantity: 1 }], gateway: 'razorpay' });

const WARMUP_ORDERS = Number(process.env.WARMUP_ORDERS ?? 0);
const WARMUP_WATCHERS = Number(process.env.WARMUP_WATCHERS ?? 2);

async function warmUp(productId, cookieHeader) {
  const orders = [];
  await pool(WARMUP_ORDERS, 16, async () => {
    orders.push(await request('POST', '/api/orders', ORDER(productId)));
  });
  const stats = { latencies: [], duplicates: 0, ended: 0, errors: 0 };
  const count = WARMUP_ORDERS * WARMUP_WATCHERS;
  await pool(count, OPEN_CONCURRENCY, (i) => subscribe(orders[i % WARMUP_ORDERS].id, cookieHeader, stats));
  const payments = [];
  await pool(WARMUP_ORDERS, 16, async (i) => {
    payments[i] = await request('POST', '/sandbox/razorpay/pay',
      { order_id: orders[i].gatewayOrderId, outcome: 'success' });
  });
  await pool(WARMUP_ORDERS, 64, (i) => request('POST', `/api/orders/${orders[i].id}/verify`, payments[i]));
  const since = Date.now();
  // and until every warm-up stream has ended (the server ends a stream a moment after its final event), so that
  // none of them is counted in the heap per stream measured next
  while ((stats.latencies.length < count || stats.ended < count) && Date.now() - since < 30000) {
    await new Promise((r) => setTimeout(r, 20));
  }
  if (stats.latencies.length !== count || stats.duplicates || stats.ended !== count) {
    throw new Error(`warm-up: ${stats.latencies.length} of ${count} streams got paid, ${stats.duplicates} twice, `
      + `${stats.ended} ended`);
  }
  phase(`warm-up: ${WARMUP_ORDERS} order(s), ${count} streams, all paid once`);
}

// with AT_REST_MAX_MS (off, 0, by default) the change waits at most that long until the server used under 4 % of a
// core in half a second: a freshly started JVM is still compiling what the openings and payments ran (its one C2
// thread took about a third of both cores during a fan-out in a profile), and a change measured then measures that
// backlog as much as the delivery.
const AT_REST_MAX_MS = Number(process.env.AT_REST_MAX_MS ?? 0);
async function atRest() {
  const start = Date.now();
  if (!SERVER_PID || AT_REST_MAX_MS <= 0) return 0;
  while (Date.now() - start < AT_REST_MAX_MS) {
    const before = serverTicks();
    await new Promise((r) => setTimeout(r, 500));
    if (serverTicks() - before <= 2) break;
  }
  return Date.now() - start;
}

// ROUNDS (default 1): the measured round again, each time on orders of its own with N new streams, in the same JVM;
// each round is reported. A JVM's first fan-out of this size still has its compiler at work (its C2 thread used
// more CPU in the window than the event loops in profiles); later rounds show the instance as it runs.
const ROUNDS = Number(process.env.ROUNDS ?? 1);

async function main() {
  await request('POST', '/api/auth/register',
    { email: `bench-${Date.now()}@example.com`, password: 'bench-password-1', name: 'Bench' });
  await request('GET', '/api/auth/csrf');
  const products = await request('GET', '/api/products?size=1');
  if (WARMUP_ORDERS > 0) await warmUp(products.items[0].id, `SESSION=${cookies.get('SESSION')}`);
  const results = [];
  for (let r = 1; r <= ROUNDS; r++) results.push(await round(r, products.items[0].id));
  console.log(JSON.stringify(ROUNDS === 1 ? results[0] : { rounds: results }, null, 2));
  process.exit(results.every((result) => result.ok) ? 0 : 1);
}

async function round(number, productId) {
  const orders = [];
  await pool(ORDERS, 16, async () => {
    orders.push(await request('POST', '/api/orders', ORDER(productId)));
  });
  const cookieHeader = `SESSION=${cookies.get('SESSION')}`;
  phase(`round ${number}: ${ORDERS} order(s) created`);

  const heapBefore = await heapBytes();
  const stats = { latencies: [], duplicates: 0, ended: 0, errors: 0 };
  const openStart = Date.now();
  const openTicks = serverTicks();
  const openClient = process.cpuUsage();
  let failedOpens = 0;
  await pool(N, OPEN_CONCURRENCY, (i) => subscribe(orders[i % ORDERS].id, cookieHeader, stats)
    .catch(() => { failedOpens++; }));
  const openMs = Date.now() - openStart;
  const openServerCpuMs = (serverTicks() - openTicks) * 10;
  const openClientCpu = process.cpuUsage(openClient);
  phase(`${N - failedOpens} of ${N} streams open`);
  const heapAfter = await heapBytes();
  const open = N - failedOpens;

  const payments = [];
  await pool(ORDERS, 16, async (i) => {
    payments[i] = await request('POST', '/sandbox/razorpay/pay',
      { order_id: orders[i].gatewayOrderId, outcome: 'success' });
  });
  phase('sandbox payments made');
  const restWaitMs = await atRest();
  phase(`server at rest after ${restWaitMs} ms; verifying all orders at once`);
  // JFR_FILE: a JFR recording of the fan-out window (started before the change, dumped after the last `paid`)
  if (process.env.JFR_FILE && SERVER_PID) {
    execFileSync('jcmd', [SERVER_PID, 'JFR.start', 'name=fanout', `settings=${process.env.JFR_SETTINGS ?? 'profile'}`]);
    await new Promise((r) => setTimeout(r, 1000));
  }
  const threadsBefore = threadTicks();
  const serverBefore = serverTicks();
  const serverSysBefore = serverSysTicks();
  const clientBefore = process.cpuUsage();
  const changeAt = Date.now();
  // a verify the gateway could not answer in time (503 on a loaded box: a timeout, or the breaker it then opens) is
  // sent again a second later, as a client would; the change it makes carries its own timestamp, so a retry does
  // not shorten the latency measured
  let verifyRetries = 0;
  const verify = async (order, i, attempt = 1) => {
    try {
      await request('POST', `/api/orders/${order.id}/verify`, payments[i]);
    }
    catch (error) {
      if (attempt >= 10 || !/-> 503 /.test(error.message)) throw error;
      verifyRetries++;
      await new Promise((r) => setTimeout(r, 1000));
      await verify(order, i, attempt + 1);
    }
  };
  await Promise.all(orders.map((order, i) => verify(order, i)));
  while (stats.latencies.length + stats.errors < open && Date.now() - changeAt < 60000) {
    await new Promise((r) => setTimeout(r, 20));
  }
  const fanoutWallMs = Date.now() - changeAt;
  const clientCpu = process.cpuUsage(clientBefore);
  const serverCpuMs = (serverTicks() - serverBefore) * 10; // CLK_TCK is 100 on Linux
  const serverSysMs = (serverSysTicks() - serverSysBefore) * 10;
  const serverThreadsMs = ticksSince(threadsBefore);
  if (process.env.JFR_FILE && SERVER_PID) {
    const file = ROUNDS === 1 ? process.env.JFR_FILE : process.env.JFR_FILE.replace(/(\.jfr)?$/, `-${number}.jfr`);
    execFileSync('jcmd', [SERVER_PID, 'JFR.stop', 'name=fanout', `filename=${file}`]);
  }
  // a late duplicate would still show
  await new Promise((r) => setTimeout(r, 500));
  const sorted = [...stats.latencies].sort((a, b) => a - b);
  // every stream of the round ends (the server ends each a moment after its final event) before the next round
  const endWait = Date.now();
  while (stats.ended + stats.errors < open && Date.now() - endWait < 30000) await new Promise((r) => setTimeout(r, 20));
  const result = {
    round: number, orders: ORDERS, subscribers: N, warmUp: { orders: WARMUP_ORDERS, watchers: WARMUP_WATCHERS }, opened: open, failedOpens, openSeconds: +(openMs / 1000).toFixed(1),
    receivedPaid: sorted.length, verifyRetries, restWaitMs, duplicatePaid: stats.duplicates, streamErrors: stats.errors,
    fanoutMs: sorted.length ? {
      min: +sorted[0].toFixed(1), p50: +percentile(sorted, 50).toFixed(1), p99: +percentile(sorted, 99).toFixed(1),
      max: +sorted[sorted.length - 1].toFixed(1),
    } : null,
    // opening the streams: the server's CPU per stream opened, and the client's CPU in that time
    openCpu: { serverMsPerStream: +(openServerCpuMs / Math.max(N - failedOpens, 1)).toFixed(2),
      clientMs: Math.round((openClientCpu.user + openClientCpu.system) / 1000) },
    // from sending the verifies to the last `paid` parsed: the client's own CPU (one thread) and the server's
    fanoutWindow: { wallMs: fanoutWallMs, clientCpuMs: Math.round((clientCpu.user + clientCpu.system) / 1000),
      serverCpuMs, serverSysMs, clientSysMs: Math.round(clientCpu.system / 1000), serverThreadsMs },
    heapPerStreamBytes: Math.round((heapAfter - heapBefore) / Math.max(open, 1)),
    heapMiB: { before: +(heapBefore / 1048576).toFixed(1), withStreams: +(heapAfter / 1048576).toFixed(1) },
    endedStreams: stats.ended,
    totalSeconds: +((Date.now() - started) / 1000).toFixed(1),
  };
  result.ok = sorted.length === open && open > 0 && stats.duplicates === 0;
  return result;
}

main().catch((e) => { console.error(e); process.exit(1); });
