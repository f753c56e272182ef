package com.tijorihq.tijori.catalog;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import com.tijorihq.tijori.common.Money;

/**
 * A price as clients send it: {@code {"amount": 49900, "currency": "INR"}}, the currency defaulting to INR.
 * <p>
 * Only INR is accepted although Razorpay settles other currencies: checkout turns a whole cart into one gateway
 * order, which has a single currency; the ₹1 minimum is Razorpay's INR rule (other currencies have other minima
 * and minor units); and foreign currencies need international payments enabled on the merchant account.
 */
record PriceRequest(
		@NotNull(message = "must not be null") @Min(value = MIN_AMOUNT,
				message = "must be at least 100 (₹1.00, Razorpay's minimum), in paise") @Max(value = MAX_AMOUNT,
						message = "must be at most 1000000000000 paise") Long amount,
		@Pattern(regexp = Money.INR, message = "must be INR, the only currency this shop sells in") String currency) {

	static final long MIN_AMOUNT = 100;

	static final long MAX_AMOUNT = 1_000_000_000_000L;

	PriceRequest {
		currency = (currency != null) ? currency : Money.INR;
	}

	Money toMoney() {
		return new Money(this.amount, this.currency);
	}

}
