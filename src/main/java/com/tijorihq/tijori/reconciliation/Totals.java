package com.tijorihq.tijori.reconciliation;

import java.math.BigDecimal;
import java.util.Currency;

/**
 * One gateway's money in the window, per currency, as Tijori's books count it and as the gateway does.
 */
record Totals(String gateway, String currency, Side tijori, Side atGateway) implements ReportLine {

	/** Captured, refunded and what stays (captured less refunded). */
	record Side(Sum captured, Sum refunded, Sum net) {

		static Side of(long captured, long refunded, String currency) {
			return new Side(Sum.of(captured, currency), Sum.of(refunded, currency),
					Sum.of(Math.subtractExact(captured, refunded), currency));
		}

	}

	/** An amount in paise and as rupees (a decimal string, never a floating point number). */
	record Sum(long paise, String rupees) {

		static Sum of(long minor, String currency) {
			return new Sum(minor,
					BigDecimal.valueOf(minor, Currency.getInstance(currency).getDefaultFractionDigits()).toPlainString());
		}

	}

}
