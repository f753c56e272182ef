package com.tijorihq.tijori.gateway.sandbox.payu;

import java.util.Map;

import com.tijorihq.tijori.gateway.sandbox.SandboxPages;

import static com.tijorihq.tijori.gateway.sandbox.SandboxPages.STYLE;
import static com.tijorihq.tijori.gateway.sandbox.SandboxPages.escape;

/**
 * The sandbox's stand-ins for PayU's hosted pages: the payment page (Pay / Fail), the auto-submitting form that
 * carries the signed result back to the merchant's {@code surl}/{@code furl}, and PayU's error page. Every value
 * is HTML-escaped; the only script is the one line that submits the return form.
 */
final class PayuSandboxPages {

	private PayuSandboxPages() {
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
		return SandboxPages.returnForm("return", "PayU sandbox: returning to the merchant…", callbackUrl, fields);
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


}
