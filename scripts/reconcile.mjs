// Tijori's books against each gateway's truth, as a table: calls GET /api/admin/reconciliation (NDJSON, the whole
// window streamed), prints every difference and each gateway's totals, and exits
//   0 when nothing is unexplained (differences the reconciler settles, or already settled, are listed but fine),
//   1 when an admin must act or a gateway did not answer (the summary's "unexplained"),
//   2 when the report could not be had (bad arguments, login refused, the stream ended early).
// Usage (with `./mvnw spring-boot:run` running):
//   TIJORI_ADMIN_PASSWORD=… node scripts/reconcile.mjs --from 2026-12-01 --to 2026-12-02 [--gateway razorpay]
//     [--base http://127.0.0.1:8080] [--email admin@tijori.local]
// from/to: ISO-8601 instants or dates (a date is its start in UTC); from inclusive, to exclusive.
const args = {};
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const m = /^--([a-z]+)(?:=(.*))?$/.exec(argv[i]);
  if (!m) fail(`unexpected argument ${argv[i]}`);
  args[m[1]] = (m[2] !== undefined) ? m[2] : argv[++i];
}
const base = (args.base || process.env.TIJORI_URL || 'http://127.0.0.1:8080').replace(/\/$/, '');
const email = args.email || process.env.TIJORI_ADMIN_EMAIL || 'admin@tijori.local';
const password = args.password || process.env.TIJORI_ADMIN_PASSWORD;
if (!args.from || !args.to) fail('--from and --to are required');
if (!password) fail('set TIJORI_ADMIN_PASSWORD (the demo admin\'s password is in the start-up log)');

function fail(message) {
  console.error(`reconcile: ${message}`);
  process.exit(2);
}

const cookies = new Map();
async function send(method, path, { json, accept } = {}) {
  const headers = {};
  if (cookies.size) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  if (method !== 'GET' && cookies.has('XSRF-TOKEN')) headers['x-xsrf-token'] = cookies.get('XSRF-TOKEN');
  if (accept) headers.accept = accept;
  if (json !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(base + path, { method, headers, body: (json !== undefined) ? JSON.stringify(json) : undefined });
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(';');
    const i = pair.indexOf('=');
    cookies.set(pair.slice(0, i), pair.slice(i + 1));
  }
  return res;
}

async function problem(res) {
  const text = await res.text();
  try {
    const p = JSON.parse(text);
    const fields = (p.errors || []).map(e => `${e.field} ${e.message}`).join('; ');
    return `${res.status} ${p.detail || p.title}${fields ? `: ${fields}` : ''}`;
  }
  catch {
    return `${res.status} ${text.slice(0, 200)}`;
  }
}

function table(rows, columns) {
  const widths = columns.map(c => Math.max(c.length, ...rows.map(r => String(r[c] ?? '').length)));
  const line = r => columns.map((c, i) => String(r[c] ?? '').padEnd(widths[i])).join('  ').trimEnd();
  console.log(line(Object.fromEntries(columns.map(c => [c, c]))));
  console.log(widths.map(w => '-'.repeat(w)).join('  '));
  rows.forEach(r => console.log(line(r)));
}

try {
  await send('GET', '/api/auth/csrf');
  const login = await send('POST', '/api/auth/login', { json: { email, password } });
  if (!login.ok) fail(`login as ${email} refused: ${await problem(login)}`);

  const query = new URLSearchParams({ from: args.from, to: args.to });
  if (args.gateway) query.set('gateway', args.gateway);
  const res = await send('GET', `/api/admin/reconciliation?${query}`, { accept: 'application/x-ndjson' });
  if (!res.ok) fail(await problem(res));

  const differences = [];
  const totals = [];
  let summary = null;
  const decoder = new TextDecoder();
  let buffer = '';
  const take = line => {
    if (!line.trim()) return;
    const item = JSON.parse(line);
    if (item.type === 'difference') differences.push(item);
    else if (item.type === 'totals') totals.push(item);
    else if (item.type === 'summary') summary = item;
  };
  for await (const chunk of res.body) {
    buffer += decoder.decode(chunk, { stream: true });
    const lines = buffer.split('\n');
    buffer = lines.pop();
    lines.forEach(take);
  }
  take(buffer);
  if (!summary) fail('the report ended before its summary; run it again');

  console.log(`Reconciliation ${summary.from} .. ${summary.to}${summary.gateway ? ` (${summary.gateway})` : ''}: `
    + `${summary.orders} orders, ${summary.differences} differences, ${summary.unexplained} unexplained`);
  if (differences.length) {
    console.log();
    table(differences.map(d => ({
      kind: d.kind, action: d.action, gateway: d.gateway, order: d.orderId ?? '-', payment: d.paymentId ?? '-',
      refund: d.refundId ?? '', tijori: d.tijoriState ?? '', 'at gateway': d.gatewayState ?? '',
      'tijori paise': d.tijoriAmount ?? '', 'gateway paise': d.gatewayAmount ?? '', detail: d.detail })),
      ['kind', 'action', 'gateway', 'order', 'payment', 'refund', 'tijori', 'at gateway', 'tijori paise',
        'gateway paise', 'detail']);
  }
  if (totals.length) {
    console.log();
    table(totals.flatMap(t => ['captured', 'refunded', 'net'].map(what => ({
      gateway: t.gateway, currency: t.currency, what, 'tijori paise': t.tijori[what].paise,
      'tijori rupees': t.tijori[what].rupees, 'gateway paise': t.atGateway[what].paise,
      'gateway rupees': t.atGateway[what].rupees }))),
      ['gateway', 'currency', 'what', 'tijori paise', 'tijori rupees', 'gateway paise', 'gateway rupees']);
  }
  const unlisted = totals.map(t => t.gateway).filter(g => !summary.unknownPaymentsListed.includes(g));
  if (unlisted.length) {
    console.log(`\nNot looked for: payments unknown to Tijori at ${[...new Set(unlisted)].join(', ')} (no listing API).`);
  }
  process.exit(summary.unexplained > 0 ? 1 : 0);
}
catch (ex) {
  fail(ex.message);
}
