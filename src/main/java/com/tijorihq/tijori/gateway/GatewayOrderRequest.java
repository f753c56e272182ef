package com.tijorihq.tijori.gateway;

import com.tijorihq.tijori.common.Money;

/**
 * What a gateway order is made from. Every field comes from the server (the order's priced total, its id, the
 * logged-in account), never from the browser.
 *
 * @param receipt Tijori's order id; gateways without an order object of their own (Paytm, PayU) use it as their
 *        order/transaction id
 * @param customer who pays, for gateways whose checkout needs it (PayU signs the name and email); may be null
 * @param description a short text for the gateway's checkout page (PayU {@code productinfo}); may be null
 */
public record GatewayOrderRequest(Money amount, String receipt, Customer customer, String description) {

	public static GatewayOrderRequest of(Money amount, String receipt) {
		return new GatewayOrderRequest(amount, receipt, null, null);
	}

	/** The buyer as the account knows them. */
	public record Customer(String id, String name, String email) {
	}

}
