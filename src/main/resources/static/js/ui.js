// Small DOM helpers and the shared page frame (header with who is logged in). Text always goes in through
// textContent, never innerHTML, so product names or error details cannot inject markup.

import { api, currentUser, describe } from './api.js';

export function el(tag, attributes = {}, ...children) {
	const node = document.createElement(tag);
	for (const [name, value] of Object.entries(attributes)) {
		if (value === false || value === null || value === undefined) {
			continue;
		}
		if (name === 'class') {
			node.className = value;
		}
		else if (name.startsWith('on')) {
			node.addEventListener(name.slice(2), value);
		}
		else if (name === 'dataset') {
			Object.assign(node.dataset, value);
		}
		else {
			node.setAttribute(name, value === true ? '' : value);
		}
	}
	for (const child of children.flat()) {
		if (child !== null && child !== undefined && child !== false) {
			node.append(child instanceof Node ? child : document.createTextNode(String(child)));
		}
	}
	return node;
}

/** Shows a message in the page's alert region (role=alert / status, read out by screen readers). */
export function notify(kind, text) {
	const box = document.getElementById('message');
	if (!box) {
		return;
	}
	box.hidden = !text;
	box.className = `message message-${kind}`;
	box.textContent = text || '';
}

export function showError(error) {
	notify('error', describe(error));
}

/**
 * A path on this site to return to after logging in; anything else falls back to the shop. Judged after the
 * browser's own URL parsing, which drops tabs and newlines and reads a backslash as a slash, so "/\t/evil.example"
 * is the other site it becomes, not the path it looks like; control characters are refused outright.
 */
export function safeNext(value) {
	if (typeof value !== 'string' || !value.startsWith('/') || /[\u0000-\u001f\u007f\\]/.test(value)) {
		return '/';
	}
	let url;
	try {
		url = new URL(value, location.origin);
	}
	catch {
		return '/';
	}
	// "/.//evil.example" parses to the path "//evil.example", which location.assign would read as another host
	if (url.origin !== location.origin || url.username || url.password || url.pathname.startsWith('//')) {
		return '/';
	}
	return url.pathname + url.search + url.hash;
}

export function loginUrl(next = location.pathname + location.search) {
	return `/login.html?next=${encodeURIComponent(next)}`;
}

/** Fills the header (navigation, who is logged in, log out) and returns the user or null. */
export async function frame() {
	let user = null;
	try {
		user = await currentUser();
	}
	catch (error) {
		showError(error);
	}
	const account = document.getElementById('account');
	if (account) {
		account.replaceChildren();
		if (user) {
			account.append(
				el('span', { class: 'who', 'data-user-email': user.email }, `Hi, ${user.name}`),
				el('button', { type: 'button', class: 'link-button', id: 'logout', onclick: logout }, 'Log out'));
		}
		else {
			account.append(el('a', { href: loginUrl(), id: 'login-link' }, 'Log in'),
				el('a', { href: `/register.html?next=${encodeURIComponent(location.pathname + location.search)}` },
					'Register'));
		}
	}
	return user;
}

/** The user, or a redirect to the login page that comes back here afterwards. */
export async function requireUser() {
	const user = await frame();
	if (!user) {
		location.replace(loginUrl());
		return new Promise(() => {});
	}
	return user;
}

async function logout() {
	try {
		await api('POST', '/api/auth/logout');
		location.assign('/');
	}
	catch (error) {
		showError(error);
	}
}

export const STATUS_WORDS = {
	created: 'Awaiting payment',
	attempted: 'Payment in progress',
	paid: 'Paid',
	partially_refunded: 'Partly refunded',
	refunded: 'Refunded',
	failed: 'Payment failed',
	expired: 'Expired',
};

export function statusBadge(status) {
	return el('span', { class: `badge badge-${status}`, 'data-status': status }, STATUS_WORDS[status] || status);
}

export function formatDate(iso) {
	if (!iso) {
		return '';
	}
	return new Date(iso).toLocaleString('en-IN', { dateStyle: 'medium', timeStyle: 'short' });
}
