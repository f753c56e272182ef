// Load scenarios for Tijori, run by bench/run-all.sh against 127.0.0.1 only. Every loop is bounded in time.
// Usage: node bench/scenarios.mjs <baseUrl> <scenario> [args...]   → prints one JSON line of results.
const [, , base, scenario, ...args] = process.argv;
if (!/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/.test(base || '')) {
  console.error('refusing: base URL must be http://127.0.0.1:<port>');
  process.exit(2);
}

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
    return { status: res.status, ms, json, retryAfter: res.headers.get('retry-after') };
  }
}

async function customer() {
  const c = new Client();
  await c.req('GET', '/api/auth/csrf');
  const email = `bench-${process.pid}-${Math.random().toString(36).slice(2)}@example.com`;
  const r = await c.req('POST', '/api/auth/register', { email, password: 'bench-password-1', name: 'Bench' });
  if (r.status !== 201) throw new Error('register failed: ' + r.status);
  return c;
}

async function firstProduct() {
  const r = await new Client().req('GET', '/api/products?size=1');
  return r.json.items[0].id;
}

function pct(values, p) {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  return +s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))].toFixed(1);
}

// Runs `concurrency` workers calling `fn` until `seconds` have passed; collects per-status latencies.
async function closedLoop(concurrency, seconds, fn) {
  const until = performance.now() + seconds * 1000;
  const byStatus = {};
  let count = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async (_, w) => {
    while (performance.now() < until) {
      let r;
      try { r = await fn(w); } catch (e) { r = { status: 'error', ms: 0 }; }
      (byStatus[r.status] ||= []).push(r.ms);
      count++;
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  const summary = {};
  for (const [status, ms] of Object.entries(byStatus)) {
    summary[status] = { n: ms.length, p50: pct(ms, 50), p99: pct(ms, 99) };
  }
  return { concurrency, seconds: +elapsed.toFixed(2), requests: count, rps: +(count / elapsed).toFixed(1), byStatus: summary };
}

async function checkout(concurrencyList, seconds) {
  const product = await firstProduct();
  const buyers = await Promise.all(Array.from({ length: Math.max(...concurrencyList) }, customer));
  const results = [];
  for (const c of concurrencyList) {
    results.push(await closedLoop(c, seconds, (w) =>
      buyers[w].req('POST', '/api/orders', { items: [{ productId: product, quantity: 1 }] })));
  }
  return results;
}

async function saturation(concurrency, seconds) {
  const product = await firstProduct();
  const buyers = await Promise.all(Array.from({ length: concurrency }, customer));
  const health = new Client();
  const idle = await closedLoop(1, 3, () => health.req('GET', '/livez'));
  const [load, busy] = await Promise.all([
    // well-behaved clients: after a 503 each waits what Retry-After asks (capped at 1 s here to keep the load on)
    closedLoop(concurrency, seconds, async (w) => {
      const r = await buyers[w].req('POST', '/api/orders', { items: [{ productId: product, quantity: 1 }] });
      if (r.status === 503 && !r.retryAfter) return { ...r, status: '503-without-retry-after' };
      if (r.status === 503) await new Promise((ok) => setTimeout(ok, Math.min(1000, 1000 * Number(r.retryAfter))));
      return r;
    }),
    closedLoop(1, seconds, () => health.req('GET', '/livez')),
  ]);
  return { load, healthIdle: idle.byStatus['200'], healthUnderLoad: busy.byStatus['200'] };
}

async function fullFlow(concurrency, seconds) {
  const product = await firstProduct();
  const payer = new Client();
  return closedLoop(concurrency, seconds, async () => {
    const started = performance.now();
    const c = await customer();
    const order = await c.req('POST', '/api/orders', { items: [{ productId: product, quantity: 1 }] });
    if (order.status !== 201) return { status: 'order-' + order.status, ms: performance.now() - started };
    const paid = await payer.req('POST', '/sandbox/razorpay/pay', { order_id: order.json.gatewayOrderId, outcome: 'success' });
    const verified = await c.req('POST', `/api/orders/${order.json.id}/verify`, paid.json);
    const ok = verified.status === 200 && verified.json.status === 'paid';
    return { status: ok ? 'paid' : 'verify-' + verified.status, ms: performance.now() - started };
  });
}

// The same checkout through each gateway at the same concurrency and the same sandbox latency: Razorpay's blocking
// SDK runs on a bounded pool (T threads), Paytm and PayU on non-blocking WebClient (PayU's order is a signed form,
// no gateway call at all).
async function gateways(names, concurrency, seconds) {
  const product = await firstProduct();
  const buyers = await Promise.all(Array.from({ length: concurrency }, customer));
  const results = {};
  for (const gateway of names) {
    await closedLoop(concurrency, 2, (w) => buyers[w].req('POST', '/api/orders',
      { items: [{ productId: product, quantity: 1 }], gateway })); // warm-up
    results[gateway] = await closedLoop(concurrency, seconds, (w) => buyers[w].req('POST', '/api/orders',
      { items: [{ productId: product, quantity: 1 }], gateway }));
  }
  return results;
}

const out = {
  checkout: () => checkout(args[0].split(',').map(Number), Number(args[1])),
  gateways: () => gateways(args[0].split(','), Number(args[1]), Number(args[2])),
  saturation: () => saturation(Number(args[0]), Number(args[1])),
  flow: () => fullFlow(Number(args[0]), Number(args[1])),
}[scenario];
if (!out) { console.error('unknown scenario ' + scenario); process.exit(2); }
console.log(JSON.stringify(await out()));
