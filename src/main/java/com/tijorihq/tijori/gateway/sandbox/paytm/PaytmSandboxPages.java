package com.tijorihq.tijori.gateway.sandbox.paytm;

import java.net.URI;
import java.util.Map;

import org.springframework.web.util.HtmlUtils;

import com.tijorihq.tijori.gateway.sandbox.paytm.PaytmSandboxDocuments.PaytmOrder;

/**
 * The pages standing in for Paytm's hosted checkout: the payment page (Pay / Fail, a plain form posting to the
 * sandbox) and the auto-submitting form that carries the signed result to the merchant's callback URL, with a
 * Continue button for browsers without JavaScript. Every value is HTML-escaped.
 */
final class PaytmSandboxPages {

	private static final String CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
			+ "form-action 'self'%s; frame-ancestors 'self'";

	private static final String STYLE = "<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem "
			+ "auto;padding:0 1rem}button{font-size:1rem;padding:.6rem 1.2rem;margin-right:.5rem}</style>";

	private PaytmSandboxPages() {
	}

	/** The page's own CSP; the callback form may post to the merchant's (absolute) callback origin too. */
	static String csp(String callbackUrl) {
		String origin = "";
		if (callbackUrl != null && (callbackUrl.startsWith("https://") || callbackUrl.startsWith("http://"))) {
			URI uri = URI.create(callbackUrl);
			origin = " " + uri.getScheme() + "://" + uri.getRawAuthority();
		}
		return CSP.formatted(origin);
	}

	static String checkout(PaytmOrder order) {
		return """
				<!doctype html>
				<html lang="en"><head><meta charset="utf-8"><title>Paytm sandbox checkout</title>
				<meta name="viewport" content="width=device-width, initial-scale=1">%s</head>
				<body>
				<h1>Sandbox checkout</h1>
				<p>Paytm stand-in, no real money. Merchant <code id="mid">%s</code>.</p>
				<p>Order <code id="order-id">%s</code>: <strong id="amount">%s %s</strong></p>
				<form id="payment" method="post" action="pay">
				<input type="hidden" name="mid" value="%s">
				<input type="hidden" name="orderId" value="%s">
				<input type="hidden" name="txnToken" value="%s">
				<button id="pay" type="submit" name="outcome" value="success">Pay</button>
				<button id="fail" type="submit" name="outcome" value="failure">Fail payment</button>
				</form>
				</body></html>
				""".formatted(STYLE, escape(order.mid()), escape(order.id()), escape(order.currency()),
				PaytmSandboxLedger.rupees(order.amount(), order.currency()), escape(order.mid()), escape(order.id()),
				escape(order.txnToken()));
	}

	static String callbackForm(String callbackUrl, Map<String, String> fields) {
		StringBuilder inputs = new StringBuilder();
		fields.forEach((name, value) -> inputs.append("<input type=\"hidden\" name=\"")
			.append(escape(name))
			.append("\" value=\"")
			.append(escape(value == null ? "" : value))
			.append("\">\n"));
		return """
				<!doctype html>
				<html lang="en"><head><meta charset="utf-8"><title>Returning to the merchant</title>%s</head>
				<body>
				<p id="status">Payment %s. Returning to the merchant…</p>
				<form id="callback" method="post" action="%s">
				%s<button id="continue" type="submit">Continue</button>
				</form>
				<script>document.getElementById('callback').submit();</script>
				</body></html>
				""".formatted(STYLE, escape(fields.getOrDefault("STATUS", "")), escape(callbackUrl), inputs);
	}

	static String error(String title, String message) {
		return """
				<!doctype html>
				<html lang="en"><head><meta charset="utf-8"><title>%s</title>%s</head>
				<body><h1>%s</h1><p id="error">%s</p></body></html>
				""".formatted(escape(title), STYLE, escape(title), escape(message));
	}

	private static String escape(String value) {
		return HtmlUtils.htmlEscape(value == null ? "" : value);
	}

}
