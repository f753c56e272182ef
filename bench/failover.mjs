// Checkout while the preferred gateway hangs, without and with failover, in one run: run by bench/failover.sh
// against one Tijori (built-in sandboxes) on 127.0.0.1.
// Usage: node bench/failover.mjs <baseUrl> <concurrency> <warmupSeconds> <seconds>
//   env BENCH_ADMIN_EMAIL, BENCH_ADMIN_PASSWORD: the admin Tijori was started with (creates the one product)
// For each mode in turn: Razorpay healthy again (GET /api/gateways says "up"), a warm-up without faults, then
// Razorpay's sandbox hangs (PUT /sandbox/razorpay/_faults {"hang":true}) and `concurrency` buyers order in a
// closed loop for `seconds`. "without" names the gateway ({"gateway":"razorpay"}: what every order did before
// failover, the default gateway); "with" names none (auto). Prints one JSON object.
const [, , base, concurrencyArg, warmupArg, secondsArg] = process.argv;
if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(base || '')) {
  console.error('refusing: base URL must be http://127.0.0.1:<port>');
  process.exit(2);
}
const concurrency = Number(concurrencyArg), warmupSeconds = Number(warmupArg), seconds = Number(secondsArg);
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/** A browser-like session: cookies kept, XSRF-TOKEN echoed on unsafe requests. */
function session() {
  const jar = new Map();
  return async function call(method, path, body, headers = {}) {
    const h = { ...headers };
    if (jar.size) h.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    if (method !== 'GET' && jar.has('XSRF-TOKEN')) h['x-xsrf-token'] = jar.get('XSRF-TOKEN');
    if (body !== undefined) h['content-type'] = 'application/json';
    const t0 = performance.now();
    let res;
    try {
      res = await fetch(base + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      return { status: 'error', ms: performance.now() - t0, json: null };
    }
    const text = await res.text();
    for (const cookie of res.headers.getSetCookie()) {
      const pair = cookie.split(';')[0];
      jar.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
    }
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    return { status: res.status, ms: performance.now() - t0, json, text };
  };
}

async function signedUp(i) {
  for (let attempt = 0; attempt < 20; attempt++) {
    const call = session();
    await call('GET', '/api/auth/csrf');
    const r = await call('POST', '/api/auth/register',
      { email: `failover-${process.pid}-${i}-${attempt}@example.com`, password: 'bench-password-1', name: 'Bench' });
    if (r.status === 201) return call;
    await sleep(200);
  }
  throw new Error('register kept failing');
}

async function productId() {
  const admin = session();
  await admin('GET', '/api/auth/csrf');
  const login = await admin('POST', '/api/auth/login',
    { email: process.env.BENCH_ADMIN_EMAIL, password: process.env.BENCH_ADMIN_PASSWORD });
  if (login.status !== 200) throw new Error(`admin login failed: ${login.status} ${login.text}`);
  const created = await admin('POST', '/api/products', { name: 'Failover bench tea', price: { amount: 24900, currency: 'INR' } });
  if (created.status !== 201) throw new Error(`product create failed: ${created.status} ${created.text}`);
  return created.json.id;
}

async function razorpayFaults(body) {
  const r = await fetch(`${base}/sandbox/razorpay/_faults`, { method: body ? 'PUT' : 'DELETE',
    headers: { 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
  if (!r.ok) throw new Error(`faults: ${r.status}`);
}

async function razorpayHealth() {
  const r = await (await fetch(`${base}/api/gateways`)).json();
  return r.items.find((g) => g.name === 'razorpay').health;
}

async function razorpayUp(withinSeconds) {
  const until = performance.now() + withinSeconds * 1000;
  while (performance.now() < until) {
    if (await razorpayHealth() === 'up') return;
    await sleep(250);
  }
  throw new Error(`razorpay not up after ${withinSeconds}s`);
}

function pct(sorted, p) {
  return sorted.length ? +sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))].toFixed(1) : null;
}

let seq = 0;
async function closedLoop(buyers, product, gateway, secs) {
  const body = { items: [{ productId: product, quantity: 1 }], ...(gateway ? { gateway } : {}) };
  const until = performance.now() + secs * 1000, started = performance.now();
  const byStatus = {}, byGateway = {}, ok = [], all = [];
  await Promise.all(buyers.map(async (buyer, w) => {
    while (performance.now() < until) {
      const r = await buyer('POST', '/api/orders', body, { 'idempotency-key': `failover-${process.pid}-${w}-${seq++}` });
      byStatus[r.status] = (byStatus[r.status] || 0) + 1;
      all.push(r.ms);
      if (r.status === 201) {
        ok.push(r.ms);
        byGateway[r.json.gateway] = (byGateway[r.json.gateway] || 0) + 1;
      }
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  ok.sort((a, b) => a - b);
  all.sort((a, b) => a - b);
  const requests = all.length;
  return {
    seconds: +elapsed.toFixed(2), requests, orders: ok.length, ordersPerSecond: +(ok.length / elapsed).toFixed(1),
    share503: requests ? +((byStatus[503] || 0) / requests).toFixed(4) : null,
    byStatus, byGateway, p50Ms: pct(ok, 50), p99Ms: pct(ok, 99), allP99Ms: pct(all, 99),
    waitedTenSeconds: all.filter((ms) => ms >= 9500).length,
  };
}

const product = await productId();
const buyers = [];
for (let i = 0; i < concurrency; i++) buyers.push(await signedUp(i));
const result = { concurrency, warmupSeconds, seconds };
for (const [mode, gateway] of [['without', 'razorpay'], ['with', null]]) {
  await razorpayFaults(null);
  await razorpayUp(90);
  const warm = await closedLoop(buyers, product, gateway, warmupSeconds);
  await razorpayFaults({ hang: true });
  const load = (await import('node:fs')).readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
  const run = await closedLoop(buyers, product, gateway, seconds);
  result[mode] = { gateway: gateway || 'auto', loadAverageBefore: load, warmup: { orders: warm.orders, byStatus: warm.byStatus },
    ...run, razorpayHealthAtEnd: await razorpayHealth() };
}
await razorpayFaults(null);
console.log(JSON.stringify(result));
