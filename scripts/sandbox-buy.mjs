// Buys a demo product through every enabled gateway's sandbox, over HTTP, as a buyer's browser and the gateway
// would: register → order (gateway chosen) → pay at the sandbox → verify (Razorpay) or the gateway's callback
// (Paytm, PayU) → the order must be "paid" with one captured payment of its exact amount.
// Usage (with `./mvnw spring-boot:run` running): node scripts/sandbox-buy.mjs [http://127.0.0.1:8080]
const base = (process.argv[2] || 'http://127.0.0.1:8080').replace(/\/$/, '');

class Browser {
  constructor() { this.cookies = new Map(); }

  async send(method, path, { json, form, headers = {} } = {}) {
    const h = { ...headers };
    if (this.cookies.size) h.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (method !== 'GET' && this.cookies.has('XSRF-TOKEN')) h['x-xsrf-token'] = this.cookies.get('XSRF-TOKEN');
    let body;
    if (json !== undefined) {
      h['content-type'] = 'application/json';
      body = JSON.stringify(json);
    }
    else if (form !== undefined) {
      h['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(form).toString();
    }
    const res = await fetch(base + path, { method, headers: h, body, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      this.cookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
    const text = await res.text();
    let parsed = null;
    try { parsed = text ? JSON.parse(text) : null; } catch { /* HTML */ }
    return { status: res.status, json: parsed, text, location: res.headers.get('location') };
  }

  async expect(status, method, path, options) {
    const res = await this.send(method, path, options);
    if (res.status !== status) {
      throw new Error(`${method} ${path}: expected ${status}, got ${res.status}: ${res.text.slice(0, 300)}`);
    }
    return res;
  }
}

async function buy(gateway, product) {
  const buyer = new Browser();
  await buyer.expect(204, 'GET', '/api/auth/csrf');
  await buyer.expect(201, 'POST', '/api/auth/register', { json: {
    email: `demo-${gateway}-${Date.now()}@example.com`, password: 'correct-horse-battery', name: 'Demo Buyer' } });
  const order = (await buyer.expect(201, 'POST', '/api/orders', {
    json: { items: [{ productId: product.id, quantity: 1 }], gateway },
    headers: { 'idempotency-key': `demo-${gateway}-${Date.now()}` } })).json;

  if (gateway === 'razorpay') {
    const paid = (await buyer.expect(200, 'POST', '/sandbox/razorpay/pay',
      { json: { order_id: order.gatewayOrderId, outcome: 'success' } })).json;
    await buyer.expect(200, 'POST', `/api/orders/${order.id}/verify`, { json: paid });
  }
  else {
    const gatewaySide = new Browser(); // the gateway's pages: no Tijori cookies
    let paid;
    if (gateway === 'paytm') {
      paid = (await gatewaySide.expect(200, 'POST', '/sandbox/paytm/pay',
        { json: { orderId: order.checkout.orderId, txnToken: order.checkout.txnToken, outcome: 'success' } })).json;
    }
    else {
      const { action, ...fields } = order.checkout;
      await gatewaySide.expect(200, 'POST', new URL(action, base).pathname, { form: fields });
      paid = (await gatewaySide.expect(200, 'POST', '/sandbox/payu/pay',
        { json: { txnid: order.checkout.txnid, outcome: 'success' } })).json;
    }
    // the gateway's page posts the signed result through the browser to Tijori's callback (cross-site: no cookie)
    const back = await gatewaySide.expect(303, 'POST', new URL(paid.callbackUrl, base).pathname, { form: paid.fields });
    if (back.location !== `/order.html?id=${order.id}`) {
      throw new Error(`callback redirected to ${back.location}`);
    }
  }
  const final = (await buyer.expect(200, 'GET', `/api/orders/${order.id}`)).json;
  const captured = final.payments.filter((p) => p.status === 'captured');
  const ok = final.status === 'paid' && captured.length === 1 && captured[0].amount.amount === final.amount.amount;
  console.log(`${gateway.padEnd(8)} ${final.id} ${final.amount.amount} paise → ${final.status}`
    + ` (payment ${captured[0] ? captured[0].gatewayPaymentId : '-'})${ok ? '' : '  ✗ NOT PAID'}`);
  return ok;
}

const gateways = (await new Browser().expect(200, 'GET', '/api/gateways')).json;
const product = (await new Browser().expect(200, 'GET', '/api/products?size=1')).json.items[0];
console.log(`Tijori at ${base}: gateways ${gateways.items.map((g) => g.name + (g.sandbox ? ' (sandbox)' : '')).join(', ')};`
  + ` buying "${product.name}"`);
let failures = 0;
for (const gateway of gateways.items.map((g) => g.name)) {
  try {
    if (!(await buy(gateway, product))) {
      failures += 1;
    }
  }
  catch (error) {
    failures += 1;
    console.log(`${gateway.padEnd(8)} ✗ ${error.message}`);
  }
}
process.exit(failures === 0 ? 0 : 1);
