package com.tijorihq.tijori.gateway.sandbox;

import org.springframework.web.util.HtmlUtils;

import com.tijorihq.tijori.common.Money;
import com.tijorihq.tijori.gateway.DecimalAmounts;
import com.tijorihq.tijori.gateway.sandbox.SandboxDocuments.SandboxOrder;

/**
 * A minimal stand-in for Razorpay Checkout: shows the order and lets the buyer pay or fail. The result goes where
 * Checkout would send it: to {@code window.opener} (postMessage, same origin only) and, with a
 * {@code callback_url} on this site, as a form POST of the {@code razorpay_*} fields.
 */
final class SandboxCheckoutPage {

	static final String CSP = "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'unsafe-inline'; "
			+ "connect-src 'self'; form-action 'self'; frame-ancestors 'self'";

	private final String keyId;

	SandboxCheckoutPage(String keyId) {
		this.keyId = keyId;
	}

	String render(SandboxOrder order, String callbackUrl) {
		String amount = DecimalAmounts.format(new Money(order.amount(), order.currency()));
		return """
				<!doctype html>
				<html lang="en"><head><meta charset="utf-8"><title>Tijori sandbox checkout</title>
				<meta name="viewport" content="width=device-width, initial-scale=1">
				<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}
				button{font-size:1rem;padding:.6rem 1.2rem;margin-right:.5rem}pre{background:#f4f4f4;padding:.5rem;
				white-space:pre-wrap}</style></head>
				<body data-order="%s" data-callback="%s">
				<h1>Sandbox checkout</h1>
				<p>Razorpay stand-in, no real money. Key <code>%s</code>.</p>
				<p>Order <code>%s</code> (receipt <code>%s</code>): <strong>%s %s</strong>, status <code>%s</code>.</p>
				<p><label>Method <select id="method"><option>card</option><option>upi</option>
				<option>netbanking</option><option>wallet</option></select></label></p>
				<button id="pay" type="button">Pay</button><button id="fail" type="button">Fail payment</button>
				<pre id="result"></pre>
				<script>
				(function () {
				  var order = document.body.dataset.order, callback = document.body.dataset.callback;
				  function finish(result) {
				    document.getElementById('result').textContent = JSON.stringify(result, null, 2);
				    if (window.opener) { window.opener.postMessage({ razorpay: result }, window.location.origin); }
				    if (!callback) { return; }
				    var form = document.createElement('form');
				    form.method = 'POST'; form.action = callback;
				    Object.keys(result).forEach(function (name) {
				      if (typeof result[name] !== 'string') { return; }
				      var input = document.createElement('input');
				      input.type = 'hidden'; input.name = name; input.value = result[name];
				      form.appendChild(input);
				    });
				    document.body.appendChild(form); form.submit();
				  }
				  function pay(outcome) {
				    fetch('pay', { method: 'POST', headers: { 'Content-Type': 'application/json' },
				      body: JSON.stringify({ order_id: order, outcome: outcome,
				        method: document.getElementById('method').value }) })
				      .then(function (response) { return response.json(); }).then(finish);
				  }
				  document.getElementById('pay').addEventListener('click', function () { pay('success'); });
				  document.getElementById('fail').addEventListener('click', function () { pay('failure'); });
				})();
				</script>
				</body></html>
				""".formatted(escape(order.id()), escape(callbackUrl == null ? "" : callbackUrl), escape(this.keyId),
				escape(order.id()), escape(order.receipt() == null ? "" : order.receipt()), escape(order.currency()),
				amount, escape(order.status()));
	}

	String notFound(String orderId) {
		return """
				<!doctype html>
				<html lang="en"><head><meta charset="utf-8"><title>No such order</title></head>
				<body><h1>No such sandbox order</h1><p><code>%s</code> does not exist.</p></body></html>
				""".formatted(escape(orderId));
	}

	private static String escape(String value) {
		return HtmlUtils.htmlEscape(value);
	}

}
