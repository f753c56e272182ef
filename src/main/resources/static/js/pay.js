// Opens the payment window for an order.
// Razorpay: reports what the buyer did through callbacks, exactly as Razorpay Checkout's handler would:
// onPaid({razorpay_order_id, razorpay_payment_id, razorpay_signature}), onFailed(error), onDismissed(). The
// storefront then asks its own server to verify; the browser's word alone never marks an order paid.
// Paytm and PayU: the whole page goes to the gateway's checkout, which sends the browser back to Tijori's callback
// (/api/payments/{gateway}/callback); the server confirms the payment with the gateway and redirects back here.

const CHECKOUT_JS = 'https://checkout.razorpay.com/v1/checkout.js';

/** The built-in sandbox's key ids start like this (TIJORI_SANDBOX_KEY_ID must keep the prefix). */
export function isSandbox(order) {
	return typeof order.keyId === 'string' && order.keyId.startsWith('rzp_test_sandbox');
}

/**
 * Whether the server must make a new checkout first (POST /api/orders/{id}/checkout): the order has no gateway
 * order yet, or its last payment failed at a gateway that takes each order id once (Paytm, PayU).
 */
export function needsFreshCheckout(order) {
	return !order.gatewayOrderId || (order.status === 'failed' && order.gateway !== 'razorpay');
}

export function openCheckout(order, user, callbacks) {
	if (order.gateway === 'paytm') {
		return openPaytm(order, callbacks);
	}
	if (order.gateway === 'payu') {
		return openPayu(order);
	}
	return isSandbox(order) ? openSandbox(order, callbacks) : openRazorpay(order, user, callbacks);
}

// Paytm JS Checkout (https://…/merchantpgpui/checkoutjs/merchants/{MID}.js) with the server-made txnToken; the
// built-in sandbox stands in with a page of its own (checkout.checkoutUrl).
async function openPaytm(order, { onDismissed }) {
	const checkout = order.checkout || {};
	if (checkout.checkoutUrl) {
		location.assign(checkout.checkoutUrl);
		return;
	}
	await loadScript(`${checkout.host}/merchantpgpui/checkoutjs/merchants/${encodeURIComponent(checkout.mid)}.js`,
		() => window.Paytm && window.Paytm.CheckoutJS, 'Paytm');
	const paytm = window.Paytm.CheckoutJS;
	await paytm.init({
		root: '',
		flow: 'DEFAULT',
		data: { orderId: checkout.orderId, token: checkout.txnToken, tokenType: 'TXN_TOKEN', amount: checkout.amount },
		handler: {
			notifyMerchant: (eventName) => {
				if (eventName === 'APP_CLOSED') {
					onDismissed();
				}
			},
		},
	});
	paytm.invoke();
}

// PayU hosted checkout: a plain form post of the server-signed fields to PayU (or the sandbox's stand-in page).
function openPayu(order) {
	const { action, ...fields } = order.checkout || {};
	if (!action) {
		throw new Error('This order has no PayU checkout yet. Please place it again.');
	}
	const form = document.createElement('form');
	form.method = 'post';
	form.action = action;
	form.hidden = true;
	for (const [name, value] of Object.entries(fields)) {
		const input = document.createElement('input');
		input.type = 'hidden';
		input.name = name;
		input.value = value;
		form.append(input);
	}
	document.body.append(form);
	form.submit();
}

// The sandbox's checkout page posts its result to window.opener (same origin only), like Checkout's handler.
function openSandbox(order, { onPaid, onFailed, onDismissed }) {
	const url = `/sandbox/razorpay/checkout?order_id=${encodeURIComponent(order.gatewayOrderId)}`;
	const popup = window.open(url, 'tijori-checkout', 'popup,width=480,height=680');
	if (!popup) {
		throw new Error('Your browser blocked the payment window. Allow pop-ups for this site and press Pay again.');
	}
	let done = false;
	const finish = () => {
		done = true;
		window.removeEventListener('message', onMessage);
		clearInterval(watch);
	};
	const onMessage = (event) => {
		if (done || event.origin !== location.origin || event.source !== popup) {
			return;
		}
		const result = event.data && event.data.razorpay;
		if (!result || (result.razorpay_order_id && result.razorpay_order_id !== order.gatewayOrderId)) {
			return;
		}
		finish();
		popup.close();
		window.focus();
		if (result.razorpay_signature && result.razorpay_payment_id) {
			onPaid({
				razorpay_order_id: result.razorpay_order_id,
				razorpay_payment_id: result.razorpay_payment_id,
				razorpay_signature: result.razorpay_signature,
			});
		}
		else {
			onFailed(result.error || { description: result.detail || 'The payment could not be taken.' });
		}
	};
	window.addEventListener('message', onMessage);
	const watch = setInterval(() => {
		if (!done && popup.closed) {
			finish();
			onDismissed();
		}
	}, 400);
}

// Razorpay Checkout (live or Razorpay test keys): loaded from Razorpay's CDN only when needed; needs the internet.
async function openRazorpay(order, user, { onPaid, onFailed, onDismissed }) {
	await loadScript(CHECKOUT_JS, () => window.Razorpay, 'Razorpay Checkout');
	const checkout = new window.Razorpay({
		key: order.keyId,
		order_id: order.gatewayOrderId,
		amount: order.amount.amount,
		currency: order.amount.currency,
		name: 'Tijori',
		description: `Order ${order.id}`,
		prefill: { name: user.name, email: user.email },
		handler: onPaid,
		modal: { ondismiss: onDismissed, escape: true },
	});
	// Checkout stays open after a failed attempt so the buyer can retry in place; the page still shows it
	checkout.on('payment.failed', (response) => onFailed(response.error || {}));
	checkout.open();
}

function loadScript(src, loaded, name) {
	if (loaded()) {
		return Promise.resolve();
	}
	return new Promise((resolve, reject) => {
		const script = document.createElement('script');
		script.src = src;
		script.onload = () => resolve();
		script.onerror = () => reject(new Error(`${name} could not be loaded. Check your connection.`));
		document.head.append(script);
	});
}
