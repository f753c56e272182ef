package com.tijorihq.tijori.gateway;

import java.util.Map;

import com.tijorihq.tijori.common.Money;

/**
 * A gateway's order. {@code status} is the gateway's own ({@code created}, {@code attempted}, {@code paid}).
 *
 * @param checkout what a browser needs to start this gateway's checkout for this order (Paytm's {@code txnToken},
 *        PayU's signed form fields); stored on the order and returned to its owner. Never a secret.
 */
public record GatewayOrder(String id, Money amount, long amountPaid, String receipt, String status,
		Map<String, String> checkout) {

	public GatewayOrder {
		checkout = (checkout == null) ? Map.of() : Map.copyOf(checkout);
	}

	public GatewayOrder(String id, Money amount, long amountPaid, String receipt, String status) {
		this(id, amount, amountPaid, receipt, status, Map.of());
	}

}
