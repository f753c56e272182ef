package com.tijorihq.tijori.checkout;

import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

import com.tijorihq.tijori.checkout.OrderDocument.Payment;

/**
 * What one attempt's payments add up to. Derived, never stored, so it cannot disagree with the payments.
 */
enum AttemptStatus {

	/** No payment seen yet: the buyer may still be in the gateway's checkout. */
	CREATED,
	/** A payment is under way (created or authorised): the attempt can still succeed. */
	PENDING,
	/** Money was captured on it. */
	CAPTURED,
	/** Every payment on it failed. */
	FAILED;

	@JsonValue
	String wire() {
		return name().toLowerCase(Locale.ROOT);
	}

	static AttemptStatus of(List<Payment> payments) {
		if (payments.isEmpty()) {
			return CREATED;
		}
		if (payments.stream().anyMatch(Payment::captured)) {
			return CAPTURED;
		}
		if (payments.stream().allMatch(p -> p.status() == PaymentStatus.FAILED)) {
			return FAILED;
		}
		return PENDING;
	}

	/** Whether a payment on this attempt may still succeed. */
	boolean open() {
		return this == CREATED || this == PENDING;
	}

}
