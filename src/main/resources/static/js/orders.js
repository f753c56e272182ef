import { api } from './api.js';
import { format } from './money.js';
import { el, formatDate, requireUser, showError, statusBadge } from './ui.js';

const SIZE = 20;
let page = Math.max(0, Number.parseInt(new URLSearchParams(location.search).get('page') || '0', 10) || 0);

async function load() {
	const body = document.getElementById('orders');
	try {
		const result = await api('GET', `/api/orders?page=${page}&size=${SIZE}`);
		body.replaceChildren(...result.items.map((order) => el('tr', { 'data-order-id': order.id },
			el('td', {}, el('a', { href: `/order.html?id=${encodeURIComponent(order.id)}` }, order.id)),
			el('td', {}, formatDate(order.createdAt)),
			el('td', { class: 'num' }, format(order.amount)),
			el('td', {}, statusBadge(order.status)))));
		body.setAttribute('aria-busy', 'false');
		document.getElementById('empty').hidden = result.total > 0;
		document.getElementById('newer').hidden = page === 0;
		document.getElementById('older').hidden = (page + 1) * SIZE >= result.total;
	}
	catch (error) {
		showError(error);
	}
}

function go(delta) {
	page = Math.max(0, page + delta);
	history.replaceState(null, '', page === 0 ? '/orders.html' : `/orders.html?page=${page}`);
	load();
}

document.getElementById('newer').addEventListener('click', () => go(-1));
document.getElementById('older').addEventListener('click', () => go(1));

await requireUser();
await load();
