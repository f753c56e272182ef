package com.tijorihq.tijori.gateway.sandbox.paytm;

import java.util.Map;

import com.tijorihq.tijori.common.Money;
import com.tijorihq.tijori.gateway.DecimalAmounts;
import com.tijorihq.tijori.gateway.sandbox.SandboxPages;
import com.tijorihq.tijori.gateway.sandbox.paytm.PaytmSandboxDocuments.PaytmOrder;

import static com.tijorihq.tijori.gateway.sandbox.SandboxPages.STYLE;
import static com.tijorihq.tijori.gateway.sandbox.SandboxPages.escape;

/**
 * The pages standing in for Paytm's hosted checkout: the payment page (Pay / Fail, a plain form posting to the
 * sandbox) and the auto-submitting form that carries the signed result to the merchant's callback URL, with a
 * Continue button for browsers without JavaScript. Every value is HTML-escaped.
 */
final class PaytmSandboxPages {

	private PaytmSandboxPages() {
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
				""".formatted(STYLE, escape(order.mid()), escape(order.id()),
				escape(order.currency()), DecimalAmounts.format(new Money(order.amount(), order.currency())),
				escape(order.mid()), escape(order.id()), escape(order.txnToken()));
	}

	static String callbackForm(String callbackUrl, Map<String, String> fields) {
		String message = "Payment " + fields.getOrDefault("STATUS", "") + ". Returning to the merchant…";
		return SandboxPages.returnForm("callback", message, callbackUrl, fields);
	}

	static String error(String title, String message) {
		return """
				<!doctype html>
				<html lang="en"><head><meta charset="utf-8"><title>%s</title>%s</head>
				<body><h1>%s</h1><p id="error">%s</p></body></html>
				""".formatted(escape(title), STYLE, escape(title), escape(message));
	}


}
