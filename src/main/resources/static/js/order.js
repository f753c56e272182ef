// The order page: shows the order, lets the buyer pay, and follows the status live over Server-Sent Events
// (GET /api/orders/{id}/events). EventSource reconnects by itself and resumes with Last-Event-ID; while it cannot
// connect, the page polls the order every few seconds instead.

import { api, describe } from './api.js';
import { format, formatMoney, toMinor } from './money.js';
import { needsFreshCheckout, openCheckout } from './pay.js';
import { el, formatDate, loginUrl, notify, requireUser, showError, STATUS_WORDS } from './ui.js';

const POLL_MS = 3000;
const GATEWAY_NAMES = { razorpay: 'Razorpay', paytm: 'Paytm', payu: 'PayU' };
const ENDS_STREAM = new Set(['paid', 'refunded', 'expired']);
const PAYABLE = new Set(['created', 'failed']);

const orderId = new URLSearchParams(location.search).get('id') || '';
let order = null;
let user = null;
// what the payment window said about the latest attempt, until the server knows better
let localFailure = null;
let paying = false;
let events = null;
let pollTimer = null;

function shownStatus() {
	if (localFailure && (order.status === 'created' || order.status === 'attempted')) {
		return 'failed';
	}
	return order.status;
}

function renderStatus(source) {
	const status = shownStatus();
	const output = document.getElementById('status');
	if (output.dataset.status !== status) {
		output.dataset.status = status;
		output.dataset.source = source;
		output.className = `badge badge-${status}`;
		output.textContent = STATUS_WORDS[status] || status;
		document.title = `${STATUS_WORDS[status] || status} · Order · Tijori`;
	}
	renderPayArea();
}

function renderPayArea() {
	const area = document.getElementById('pay-area');
	const note = document.getElementById('status-note');
	const status = shownStatus();
	area.replaceChildren();
	if (status === 'paid' || status === 'partially_refunded' || status === 'refunded') {
		note.textContent = status === 'paid' ? 'Thank you! We have received your payment.'
			: `Refunded so far: ${format(order.amountRefunded || { amount: 0, currency: order.amount.currency })}.`;
		return;
	}
	if (status === 'expired') {
		note.textContent = 'This order expired before it was paid. You can place a new order from the shop.';
		return;
	}
	if (status === 'attempted') {
		note.textContent = 'A payment is in progress. This page updates by itself.';
		return;
	}
	if (!order.gatewayOrderId) {
		note.textContent = 'The payment service was busy when this order was placed. Press Pay to try again.';
	}
	else if (status === 'failed') {
		const reason = localFailure && localFailure.description ? ` ${localFailure.description}` : '';
		note.textContent = `The payment did not go through.${reason} You can pay again.`;
	}
	else {
		note.textContent = '';
	}
	if (PAYABLE.has(status)) {
		area.append(el('button', { type: 'button', class: 'button primary', id: 'pay', disabled: paying,
			onclick: pay }, status === 'failed' ? `Pay again ${format(order.amount)}` : `Pay ${format(order.amount)}`));
	}
}

function renderDetails() {
	document.getElementById('order-id').textContent = order.id;
	const currency = order.amount.currency;
	document.getElementById('lines').replaceChildren(...order.items.map((item) => el('tr', {},
		el('td', {}, item.name),
		el('td', { class: 'num' }, String(item.quantity)),
		el('td', { class: 'num' }, format(item.unitPrice)),
		el('td', { class: 'num' }, formatMoney(toMinor(item.unitPrice) * BigInt(item.quantity), currency)))));
	document.getElementById('order-total').textContent = format(order.amount);
	document.getElementById('facts').replaceChildren(
		el('dt', {}, 'Placed'), el('dd', {}, formatDate(order.createdAt)),
		el('dt', {}, 'Last change'), el('dd', {}, formatDate(order.updatedAt)),
		el('dt', {}, 'Gateway'), el('dd', {}, GATEWAY_NAMES[order.gateway] || order.gateway || '—'));
	const payments = order.payments || [];
	document.getElementById('payments').replaceChildren(...(payments.length === 0
		? [el('li', { class: 'muted' }, 'None yet.')]
		: payments.map((p) => el('li', { 'data-payment-status': p.status },
			el('code', {}, p.gatewayPaymentId || p.id), ' ', p.method ? `${p.method}, ` : '',
			p.amount ? `${format(p.amount)}, ` : '', el('strong', {}, p.status)))));
	document.getElementById('order').setAttribute('aria-busy', 'false');
}

function accept(fresh, source) {
	order = fresh;
	if (!PAYABLE.has(order.status) && order.status !== 'attempted') {
		localFailure = null;
	}
	renderDetails();
	renderStatus(source);
	if (ENDS_STREAM.has(order.status)) {
		stopLive();
	}
}

async function load(source) {
	try {
		accept(await api('GET', `/api/orders/${encodeURIComponent(orderId)}`), source);
	}
	catch (error) {
		if (error.status === 401) {
			location.replace(loginUrl());
			return;
		}
		if (error.status === 404) {
			stopLive();
			document.getElementById('order').hidden = true;
		}
		showError(error);
	}
}

// ---- live status ---------------------------------------------------------------------------------------------

function connect() {
	if (!('EventSource' in window)) {
		startPolling();
		return;
	}
	events = new EventSource(`/api/orders/${encodeURIComponent(orderId)}/events`);
	events.addEventListener('status', (event) => {
		stopPolling();
		let data;
		try {
			data = JSON.parse(event.data);
		}
		catch (ignored) {
			return;
		}
		if (data.orderId !== order.id || !data.status) {
			return;
		}
		if (data.status !== order.status) {
			order = { ...order, status: data.status, updatedAt: data.at || order.updatedAt };
			if (!PAYABLE.has(data.status) && data.status !== 'attempted') {
				localFailure = null;
			}
			renderStatus('sse');
			// the event carries only the status: fetch the rest (payments, refunds) once
			load('sse');
		}
		if (ENDS_STREAM.has(data.status)) {
			stopLive();
		}
	});
	events.addEventListener('open', () => stopPolling());
	events.addEventListener('error', () => {
		// CONNECTING: EventSource retries by itself; CLOSED: it gave up (e.g. the route answered an error)
		if (events && events.readyState === EventSource.CLOSED) {
			events = null;
		}
		startPolling();
	});
}

function startPolling() {
	if (pollTimer === null && !ENDS_STREAM.has(order.status)) {
		pollTimer = setInterval(() => load('poll'), POLL_MS);
	}
}

function stopPolling() {
	if (pollTimer !== null) {
		clearInterval(pollTimer);
		pollTimer = null;
	}
}

function stopLive() {
	stopPolling();
	if (events) {
		events.close();
		events = null;
	}
}

// ---- paying ----------------------------------------------------------------------------------------------

function setPaying(value) {
	paying = value;
	renderPayArea();
}

async function pay() {
	notify('error', '');
	setPaying(true);
	try {
		if (needsFreshCheckout(order)) {
			// Paytm and PayU take each order id once, and an interrupted order has none yet: the server makes one
			accept(await api('POST', `/api/orders/${encodeURIComponent(orderId)}/checkout`), 'checkout');
			setPaying(true);
		}
		await openCheckout(order, user, { onPaid: verify, onFailed: failed, onDismissed: dismissed });
	}
	catch (error) {
		if (error.status === 401) {
			location.replace(loginUrl());
			return;
		}
		startFailed(error.code ? { message: describe(error) } : error);
	}
}

function startFailed(error) {
	setPaying(false);
	notify('error', error.message);
}

async function verify(fields) {
	document.getElementById('status-note').textContent = 'Confirming your payment…';
	try {
		const verified = await api('POST', `/api/orders/${encodeURIComponent(orderId)}/verify`, { body: fields });
		localFailure = null;
		paying = false;
		accept(verified, 'verify');
		document.querySelector('.status-line').focus();
	}
	catch (error) {
		paying = false;
		if (error.code === 'payment_failed') {
			failed({ description: error.message });
			return;
		}
		if (error.code === 'payment_pending') {
			renderPayArea();
			document.getElementById('status-note').textContent =
				'Your payment is being confirmed by the bank. This page updates by itself.';
			startPolling();
			return;
		}
		renderPayArea();
		notify('error', describe(error));
	}
}

function failed(error) {
	localFailure = { description: error.description || error.reason || '' };
	paying = false;
	renderStatus('checkout');
	const again = document.getElementById('pay');
	if (again) {
		again.focus();
	}
}

function dismissed() {
	setPaying(false);
	notify('info', 'The payment window was closed before paying. Press Pay when you are ready.');
	const button = document.getElementById('pay');
	if (button) {
		button.focus();
	}
}

// ---- start -----------------------------------------------------------------------------------------------

user = await requireUser();
if (!/^ord_[A-Za-z0-9_-]{1,64}$/.test(orderId)) {
	document.getElementById('order').hidden = true;
	notify('error', 'This link does not name an order. Open it from “My orders”.');
}
else {
	await load('api');
	if (order && !ENDS_STREAM.has(order.status)) {
		connect();
	}
}
