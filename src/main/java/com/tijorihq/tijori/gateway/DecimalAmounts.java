package com.tijorihq.tijori.gateway;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.regex.Pattern;

import com.tijorihq.tijori.common.Money;

/**
 * Money as the decimal strings Paytm and PayU speak ({@code "499.00"}), converted exactly: Tijori keeps amounts
 * as a {@code long} of the smallest unit and only adapters ever see these strings.
 */
public final class DecimalAmounts {

	private static final Pattern DECIMAL = Pattern.compile("\\d{1,15}(\\.\\d{1,4})?");

	private DecimalAmounts() {
	}

	/** 49900 paise → {@code "499.00"}: always the currency's full number of decimals. */
	public static String format(Money money) {
		if (money.amount() < 0) {
			throw new IllegalArgumentException("negative amount");
		}
		return money.toMajor().toPlainString();
	}

	/**
	 * {@code "499.00"}, {@code "499.0"} or {@code "499"} → 49900 paise. A value with more decimals than the
	 * currency has (a fraction of a paisa) or that is not a plain decimal number is refused, never rounded.
	 */
	public static Money parse(String text, String currency) {
		if (text == null || !DECIMAL.matcher(text.trim()).matches()) {
			throw new IllegalArgumentException("not a decimal amount: " + text);
		}
		int digits = Currency.getInstance(currency).getDefaultFractionDigits();
		BigDecimal minor = new BigDecimal(text.trim()).movePointRight(digits);
		// longValueExact throws on a remaining fraction (e.g. "1.005" INR) instead of rounding it away
		return new Money(minor.stripTrailingZeros().longValueExact(), currency);
	}

}
