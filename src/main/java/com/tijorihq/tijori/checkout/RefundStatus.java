package com.tijorihq.tijori.checkout;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** Status of one refund: {@code pending → processed} or {@code pending → failed}; nothing else moves. */
public enum RefundStatus {

	PENDING, PROCESSED, FAILED;

	@JsonValue
	public String wire() {
		return name().toLowerCase(Locale.ROOT);
	}

}
