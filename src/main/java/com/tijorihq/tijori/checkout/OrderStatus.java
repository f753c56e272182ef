package com.tijorihq.tijori.checkout;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** What the buyer sees of an order; transitions are owned by {@link OrderStateMachine}. */
public enum OrderStatus {

	CREATED, ATTEMPTED, PAID, PARTIALLY_REFUNDED, REFUNDED, FAILED, EXPIRED;

	@JsonValue
	public String wire() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** The statuses a checkout page stops on: its SSE stream completes after them. */
	public boolean endsStream() {
		return this == PAID || this == REFUNDED || this == EXPIRED;
	}

	/** Still waiting for a payment: not paid, and not expired. */
	public boolean awaitingPayment() {
		return this == CREATED || this == ATTEMPTED || this == FAILED;
	}

	/** Before any money was captured. */
	public boolean prePayment() {
		return this == CREATED || this == ATTEMPTED || this == FAILED || this == EXPIRED;
	}

}
