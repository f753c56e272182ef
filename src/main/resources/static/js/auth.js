import { api, describe } from './api.js';
import { frame, notify, safeNext } from './ui.js';

const form = document.querySelector('form[data-action]');
const action = form.dataset.action;
const next = safeNext(new URLSearchParams(location.search).get('next'));

// keep "next" when switching between log in and register
const other = document.getElementById('switch');
other.href = `${other.pathname}?next=${encodeURIComponent(next)}`;

function clearErrors() {
	notify('error', '');
	for (const box of form.querySelectorAll('.field-error')) {
		box.hidden = true;
		box.textContent = '';
	}
	for (const input of form.querySelectorAll('input')) {
		input.removeAttribute('aria-invalid');
	}
}

function fieldError(field, message) {
	const input = form.elements.namedItem(field);
	const box = document.getElementById(`${field}-error`);
	if (!input || !box) {
		return false;
	}
	input.setAttribute('aria-invalid', 'true');
	box.hidden = false;
	box.textContent = box.textContent ? `${box.textContent}; ${message}` : capitalise(message);
	return true;
}

function capitalise(text) {
	return text.charAt(0).toUpperCase() + text.slice(1);
}

// the browser's own checks first, shown the same way as the server's
function checkLocally() {
	let ok = true;
	for (const input of form.querySelectorAll('input')) {
		if (!input.checkValidity()) {
			ok = false;
			fieldError(input.name, input.validationMessage);
		}
	}
	return ok;
}

form.addEventListener('submit', async (event) => {
	event.preventDefault();
	clearErrors();
	if (!checkLocally()) {
		form.querySelector('[aria-invalid="true"]').focus();
		return;
	}
	const body = Object.fromEntries(new FormData(form).entries());
	const button = form.querySelector('button[type="submit"]');
	button.disabled = true;
	try {
		await api('POST', `/api/auth/${action}`, { body });
		location.assign(next);
	}
	catch (error) {
		// an error about one field goes next to it: the server's field errors, and a taken email
		const fields = error.code === 'email_taken'
			? [{ field: 'email', message: 'this email already has an account; log in instead' }] : error.fieldErrors;
		const unplaced = fields.filter((e) => !fieldError(e.field, e.message));
		const extra = unplaced.map((e) => `${e.field}: ${e.message}`).join('; ');
		notify('error', extra ? `${describe(error)} (${extra})` : describe(error));
		const invalid = form.querySelector('[aria-invalid="true"]');
		(invalid || form.elements[0]).focus();
		button.disabled = false;
	}
});

const user = await frame();
if (user) {
	notify('info', `You are logged in as ${user.email}.`);
}
document.getElementById(action === 'register' ? 'name' : 'email').focus();
