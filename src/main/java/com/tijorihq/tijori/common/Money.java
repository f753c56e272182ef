package com.tijorihq.tijori.common;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Objects;

/**
 * An amount in the currency's smallest unit (paise for INR). Never a floating point number: arithmetic is exact
 * and overflow throws.
 */
public record Money(long amount, String currency) {

	public static final String INR = "INR";

	public Money {
		Objects.requireNonNull(currency, "currency");
		Currency.getInstance(currency);
	}

	public static Money inr(long paise) {
		return new Money(paise, INR);
	}

	public static Money zero(String currency) {
		return new Money(0, currency);
	}

	public Money plus(Money other) {
		requireSameCurrency(other);
		return new Money(Math.addExact(this.amount, other.amount), this.currency);
	}

	public Money minus(Money other) {
		requireSameCurrency(other);
		return new Money(Math.subtractExact(this.amount, other.amount), this.currency);
	}

	public Money times(long quantity) {
		return new Money(Math.multiplyExact(this.amount, quantity), this.currency);
	}

	/** Major units for display only, e.g. 49900 paise → 499.00. */
	public BigDecimal toMajor() {
		return BigDecimal.valueOf(this.amount, Currency.getInstance(this.currency).getDefaultFractionDigits());
	}

	private void requireSameCurrency(Money other) {
		if (!this.currency.equals(other.currency)) {
			throw new IllegalArgumentException("currency mismatch: " + this.currency + " vs " + other.currency);
		}
	}

}
