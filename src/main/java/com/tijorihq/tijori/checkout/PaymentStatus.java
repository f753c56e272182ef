package com.tijorihq.tijori.checkout;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** Status of one payment attempt; transitions are owned by {@link OrderStateMachine}. */
public enum PaymentStatus {

	CREATED, AUTHORIZED, CAPTURED, REFUNDED, FAILED;

	@JsonValue
	public String wire() {
		return name().toLowerCase(Locale.ROOT);
	}

}
