package com.tijorihq.tijori.gateway.sandbox.payu;

import java.net.URI;
import java.util.Map;

import org.springframework.web.util.HtmlUtils;

/**
 * The sandbox's stand-ins for PayU's hosted pages: the payment page (Pay / Fail), the auto-submitting form that
 * carries the signed result back to the merchant's {@code surl}/{@code furl}, and PayU's error page. Every value
 * is HTML-escaped; the only script is the one line that submits the return form.
 */
final class PayuSandboxPages {

	private static final String STYLE = "<style>body{font-family:system-ui,sans-serif;max-width:30rem;margin:3rem auto;"
			+ "padding:0 1rem}button{font-size:1rem;padding:.6rem 1.2rem;margin-right:.5rem}</style>";

	private PayuSandboxPages() {
	}

	/** What a page may do: post forms to this site and, for the return page, to the merchant's callback. */
	static String csp(String formTarget) {
		String formAction = "'self'";
		if (formTarget != null) {
			URI uri = URI.create(formTarget);
			if (uri.getScheme() != null && uri.getHost() != null
					&& ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
				formAction += " " + uri.getScheme() + "://" + uri.getRawAuthority();
			}
		}
		return "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; form-action " + formAction
				+ "; frame-ancestors 'self'";
	}

	static String payment(String key, String txnid, String amount, Map<String, String> form) {
		return """
				<!doctype html>
				<html lang="en"><head><meta charset="utf-8"><title>PayU sandbox</title>
				<meta name="viewport" content="width=device-width, initial-scale=1">%s</head>
				<body>
				<h1>PayU sandbox</h1>
				<p>PayU stand-in, no real money. Merchant key <code id="merchant">%s</code>.</p>
				<p>Transaction <code id="txnid">%s</code>: <strong id="amount">INR %s</strong> for %s.</p>
				<p>Buyer: %s, %s</p>
				<form id="payment" method="post" action="%s/pay">
				<input type="hidden" name="txnid" value="%s">
				<button id="pay" type="submit" name="outcome" value="success">Pay</button>
				<button id="fail" type="submit" name="outcome" value="failure">Fail payment</button>
				</form>
				</body></html>
				""".formatted(STYLE, escape(key), escape(txnid), escape(amount), escape(form.get("productinfo")),
				escape(form.get("firstname")), escape(form.get("email")), PayuSandboxConfiguration.PATH, escape(txnid));
	}

	/** PayU's return: a form posting the signed fields to the merchant, submitted at once (Continue without JS). */
	static String redirect(String callbackUrl, Map<String, String> fields) {
		StringBuilder inputs = new StringBuilder();
		fields.forEach((name, value) -> inputs.append("<input type=\"hidden\" name=\"")
			.append(escape(name))
			.append("\" value=\"")
			.append(escape(value))
			.append("\">\n"));
		return """
				<!doctype html>
				<html lang="en"><head><meta charset="utf-8"><title>Returning to the merchant</title>%s</head>
				<body>
				<p>PayU sandbox: returning to the merchant…</p>
				<form id="return" method="post" action="%s">
				%s<button id="continue" type="submit">Continue</button>
				</form>
				<script>document.getElementById('return').submit();</script>
				</body></html>
				""".formatted(STYLE, escape(callbackUrl), inputs);
	}

	/** PayU's error page, e.g. for a form whose hash is wrong. */
	static String error(String reason) {
		return """
				<!doctype html>
				<html lang="en"><head><meta charset="utf-8"><title>PayU sandbox: error</title>%s</head>
				<body>
				<h1>Sorry, Some Problem Occurred.</h1>
				<p id="error">Error Reason: %s</p>
				</body></html>
				""".formatted(STYLE, escape(reason));
	}

	private static String escape(String value) {
		return HtmlUtils.htmlEscape(value == null ? "" : value);
	}

}
