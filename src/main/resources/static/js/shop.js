import { api, describe } from './api.js';
import * as cart from './cart.js';
import { formatMoney, format, toMinor } from './money.js';
import { el, frame, loginUrl, notify, showError } from './ui.js';

const PAGE_SIZE = 24;
const GATEWAY_NAMES = { razorpay: 'Razorpay', paytm: 'Paytm', payu: 'PayU' };
let page = 0;
let user = null;
// GET /api/gateways: the gateways this shop takes, the default first
let gateways = { defaultGateway: null, items: [] };

async function loadGateways() {
	try {
		gateways = await api('GET', '/api/gateways');
	}
	catch (ignored) {
		// the server then uses its default gateway; the cart shows no choice
	}
}

// a gateway that is down is shown but cannot be picked; "auto" lets the server take the first one that is up
function chosenGateway() {
	const chosen = cart.gateway();
	return gateways.items.some((g) => g.name === chosen && g.health !== 'down') ? chosen : 'auto';
}

function gatewayPicker() {
	if (gateways.items.length < 2) {
		return null;
	}
	const chosen = chosenGateway();
	return el('fieldset', { class: 'gateways', id: 'gateways' },
		el('legend', {}, 'Pay with'),
		el('label', { class: 'gateway-option', for: 'gateway-auto' },
			el('input', { type: 'radio', name: 'gateway', id: 'gateway-auto', value: 'auto', checked: chosen === 'auto',
				onchange: () => cart.setGateway('auto') }),
			' Any available gateway'),
		...gateways.items.map((g) => el('label', { class: `gateway-option${g.health === 'down' ? ' down' : ''}`,
			for: `gateway-${g.name}` },
			el('input', { type: 'radio', name: 'gateway', id: `gateway-${g.name}`, value: g.name,
				checked: g.name === chosen, disabled: g.health === 'down',
				onchange: () => cart.setGateway(g.name) }),
			` ${GATEWAY_NAMES[g.name] || g.name}${g.sandbox ? ' (sandbox)' : ''}`,
			g.health === 'down' ? el('span', { class: 'gateway-health' }, ' — unavailable right now') : null)));
}

async function loadProducts() {
	const list = document.getElementById('products');
	const more = document.getElementById('more');
	try {
		const result = await api('GET', `/api/products?page=${page}&size=${PAGE_SIZE}`);
		for (const product of result.items) {
			list.append(productCard(product));
		}
		if (page === 0 && result.items.length === 0) {
			list.append(el('li', { class: 'empty' }, 'No products yet.'));
		}
		more.hidden = (page + 1) * PAGE_SIZE >= result.total;
		list.setAttribute('aria-busy', 'false');
	}
	catch (error) {
		showError(error);
	}
}

function productCard(product) {
	const quantityId = `qty-${product.id}`;
	const quantity = el('input', { id: quantityId, type: 'number', inputmode: 'numeric', min: 1, max: cart.MAX_QUANTITY,
		value: 1, required: true, class: 'qty' });
	const addButton = el('button', { type: 'button', class: 'button', disabled: !product.active,
		onclick: () => {
			const count = Number.parseInt(quantity.value, 10);
			if (!Number.isInteger(count) || count < 1 || count > cart.MAX_QUANTITY) {
				notify('error', `Choose a quantity from 1 to ${cart.MAX_QUANTITY}.`);
				quantity.focus();
				return;
			}
			if (!cart.add(product, count)) {
				notify('error', 'Your cart is full (50 different products at most).');
				return;
			}
			notify('error', '');
			renderCart();
			document.getElementById('cart-status').textContent =
				`Added ${count} × ${product.name}. Cart total ${document.getElementById('cart-total').textContent}.`;
		} }, product.active ? 'Add to cart' : 'Unavailable');
	return el('li', { class: 'card product', 'data-product-id': product.id },
		el('h3', {}, product.name),
		el('p', { class: 'description' }, product.description || ''),
		el('p', { class: 'price' }, format(product.price)),
		el('div', { class: 'buy' },
			el('label', { for: quantityId }, 'Quantity'), quantity, addButton));
}

function renderCart() {
	const box = document.getElementById('cart');
	const lines = cart.lines();
	const bar = document.getElementById('cart-bar');
	box.replaceChildren();
	if (lines.length === 0) {
		box.append(el('p', { class: 'muted' }, 'Your cart is empty.'));
		bar.hidden = true;
		return;
	}
	const currency = lines[0].unitPrice.currency;
	let total = 0n;
	const rows = lines.map((line) => {
		const lineTotal = toMinor(line.unitPrice) * BigInt(line.quantity);
		total += lineTotal;
		const id = `cart-qty-${line.productId}`;
		const input = el('input', { id, type: 'number', inputmode: 'numeric', min: 0, max: cart.MAX_QUANTITY,
			value: line.quantity, class: 'qty',
			onchange: (event) => {
				const value = Number.parseInt(event.target.value, 10);
				cart.setQuantity(line.productId, Number.isInteger(value)
					? Math.max(0, Math.min(cart.MAX_QUANTITY, value)) : line.quantity);
				renderCart();
			} });
		return el('li', { class: 'cart-line', 'data-product-id': line.productId },
			el('span', { class: 'cart-name' }, line.name),
			el('span', { class: 'cart-qty' }, el('label', { for: id, class: 'visually-hidden' },
				`Quantity of ${line.name}`), input),
			el('span', { class: 'cart-amount' }, formatMoney(lineTotal, currency)),
			el('button', { type: 'button', class: 'link-button', 'aria-label': `Remove ${line.name}`,
				onclick: () => {
					cart.setQuantity(line.productId, 0);
					renderCart();
				} }, 'Remove'));
	});
	box.append(el('ul', { class: 'cart-lines' }, rows),
		el('p', { class: 'total' }, 'Total ', el('strong', { id: 'cart-total' }, formatMoney(total, currency))),
		...[gatewayPicker()].filter(Boolean),
		el('button', { type: 'button', class: 'button primary', id: 'place-order', onclick: placeOrder },
			user ? 'Place order' : 'Log in to order'));
	const count = lines.reduce((sum, line) => sum + line.quantity, 0);
	document.getElementById('cart-bar-text').textContent =
		`${count} item${count === 1 ? '' : 's'} · ${formatMoney(total, currency)}`;
	bar.hidden = false;
}

async function placeOrder(event) {
	if (!user) {
		location.assign(loginUrl('/'));
		return;
	}
	const button = event.currentTarget;
	button.disabled = true;
	button.textContent = 'Placing order…';
	try {
		const items = cart.lines().map((l) => ({ productId: l.productId, quantity: l.quantity }));
		const gateway = chosenGateway();
		const body = (gateway && gateway !== 'auto') ? { items, gateway } : { items };
		const order = await api('POST', '/api/orders', { body,
			headers: { 'Idempotency-Key': cart.attemptKey() } });
		cart.clear();
		location.assign(`/order.html?id=${encodeURIComponent(order.id)}`);
	}
	catch (error) {
		if (error.status === 401) {
			location.assign(loginUrl('/'));
			return;
		}
		notify('error', describe(error));
		button.disabled = false;
		button.textContent = 'Place order';
	}
}

document.getElementById('more').addEventListener('click', () => {
	page += 1;
	loadProducts();
});

// the phone's cart bar is only a shortcut: hide it while the cart itself is on screen
if ('IntersectionObserver' in window) {
	new IntersectionObserver((entries) => {
		document.getElementById('cart-bar').classList.toggle('cart-in-view', entries[0].isIntersecting);
	}).observe(document.querySelector('.cart'));
}

user = await frame();
await loadGateways();
renderCart();
await loadProducts();
