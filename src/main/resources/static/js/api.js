// The storefront's only way to the server: the public JSON API. Unsafe requests carry the XSRF-TOKEN cookie's
// value in X-XSRF-TOKEN (double-submit CSRF); errors become ApiError with the problem+json's plain-words detail.

export class ApiError extends Error {
	constructor(status, problem, retryAfter) {
		super(problem.detail || problem.title || `Request failed (${status})`);
		this.status = status;
		this.code = problem.code;
		this.problem = problem;
		this.fieldErrors = Array.isArray(problem.errors) ? problem.errors : [];
		this.retryAfter = retryAfter;
	}
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function cookie(name) {
	const prefix = `${name}=`;
	for (const part of document.cookie.split(';')) {
		const trimmed = part.trim();
		if (trimmed.startsWith(prefix)) {
			return decodeURIComponent(trimmed.slice(prefix.length));
		}
	}
	return null;
}

async function csrfToken(refresh) {
	if (refresh || !cookie('XSRF-TOKEN')) {
		await fetch('/api/auth/csrf', { credentials: 'same-origin', cache: 'no-store' });
	}
	return cookie('XSRF-TOKEN');
}

export async function api(method, path, { body, headers = {} } = {}) {
	const send = async (refreshCsrf) => {
		const all = { Accept: 'application/json', ...headers };
		if (body !== undefined) {
			all['Content-Type'] = 'application/json';
		}
		if (UNSAFE.has(method)) {
			const token = await csrfToken(refreshCsrf);
			if (token) {
				all['X-XSRF-TOKEN'] = token;
			}
		}
		return fetch(path, {
			method,
			headers: all,
			body: body === undefined ? undefined : JSON.stringify(body),
			credentials: 'same-origin',
			cache: 'no-store',
		});
	};
	let response;
	try {
		response = await send(false);
		if (response.status === 403 && UNSAFE.has(method)) {
			const problem = await readProblem(response.clone());
			if (problem.code === 'csrf_token_invalid') {
				response = await send(true);
			}
		}
	}
	catch (networkError) {
		throw new ApiError(0, { detail: 'Cannot reach the shop. Check your connection and try again.' });
	}
	if (response.ok) {
		return response.status === 204 ? null : response.json();
	}
	const retryAfter = Number.parseInt(response.headers.get('Retry-After') || '', 10);
	throw new ApiError(response.status, await readProblem(response), Number.isNaN(retryAfter) ? null : retryAfter);
}

async function readProblem(response) {
	try {
		const type = response.headers.get('Content-Type') || '';
		if (type.includes('json')) {
			return await response.json();
		}
	}
	catch (ignored) {
		// fall through to a generic message
	}
	return { status: response.status, detail: `The shop answered ${response.status}. Please try again.` };
}

/** The logged-in user, or null. */
export async function currentUser() {
	try {
		return await api('GET', '/api/auth/me');
	}
	catch (error) {
		if (error.status === 401) {
			return null;
		}
		throw error;
	}
}

/** Plain words for an error, with the wait when the server asked for one. */
export function describe(error) {
	let text = error.message;
	if (error.retryAfter) {
		text += ` Please try again in ${waitWords(error.retryAfter)}.`;
	}
	return text;
}

function waitWords(seconds) {
	if (seconds < 90) {
		return `${seconds} second${seconds === 1 ? '' : 's'}`;
	}
	const minutes = Math.ceil(seconds / 60);
	return `${minutes} minutes`;
}
