// The cart lives in this browser (localStorage) until it becomes an order. It remembers the Idempotency-Key of
// the current order attempt: retrying the same cart (a timeout, a 503) re-sends the same key so the server
// cannot create the order twice; any change to the cart starts a new attempt with a new key.

const KEY = 'tijori.cart';
export const MAX_QUANTITY = 100;
const MAX_LINES = 50;

function read() {
	try {
		const cart = JSON.parse(localStorage.getItem(KEY));
		if (cart && Array.isArray(cart.lines)) {
			return cart;
		}
	}
	catch (ignored) {
		// a damaged cart starts empty
	}
	return { lines: [], attemptKey: null };
}

function write(cart) {
	localStorage.setItem(KEY, JSON.stringify(cart));
}

export function lines() {
	return read().lines;
}

export function add(product, quantity) {
	const cart = read();
	const line = cart.lines.find((l) => l.productId === product.id);
	if (line) {
		line.quantity = Math.min(MAX_QUANTITY, line.quantity + quantity);
	}
	else {
		if (cart.lines.length >= MAX_LINES) {
			return false;
		}
		cart.lines.push({ productId: product.id, name: product.name, unitPrice: product.price, quantity });
	}
	cart.attemptKey = null;
	write(cart);
	return true;
}

export function setQuantity(productId, quantity) {
	const cart = read();
	cart.lines = cart.lines
		.map((l) => (l.productId === productId ? { ...l, quantity } : l))
		.filter((l) => l.quantity > 0);
	cart.attemptKey = null;
	write(cart);
}

/** The gateway the buyer picked (kept across orders); changing it is a new order attempt. */
export function gateway() {
	return localStorage.getItem(`${KEY}.gateway`);
}

export function setGateway(name) {
	if (gateway() !== name) {
		localStorage.setItem(`${KEY}.gateway`, name);
		const cart = read();
		cart.attemptKey = null;
		write(cart);
	}
}

export function clear() {
	localStorage.removeItem(KEY);
}

/** The Idempotency-Key for ordering exactly this cart, kept until the cart changes or the order is placed. */
export function attemptKey() {
	const cart = read();
	if (!cart.attemptKey) {
		cart.attemptKey = uuid();
		write(cart);
	}
	return cart.attemptKey;
}

function uuid() {
	if (typeof crypto.randomUUID === 'function') {
		return crypto.randomUUID();
	}
	// crypto.randomUUID needs a secure context (https or localhost); getRandomValues works everywhere
	const bytes = crypto.getRandomValues(new Uint8Array(16));
	bytes[6] = (bytes[6] & 0x0f) | 0x40;
	bytes[8] = (bytes[8] & 0x3f) | 0x80;
	const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
