package com.tijorihq.tijori.reconciliation;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The report as CSV for finance: one header, then one row per difference, three per gateway total (captured,
 * refunded, net) and a summary row. Amounts in paise and as rupees; text cells that a spreadsheet would run as a
 * formula are prefixed with an apostrophe.
 */
final class ReportCsv {

	static final String HEADER = "record,class,action,gateway,order_id,gateway_order_id,payment_id,refund_id,"
			+ "tijori_state,gateway_state,tijori_paise,tijori_rupees,gateway_paise,gateway_rupees,currency,detail\r\n";

	private ReportCsv() {
	}

	static String row(ReportLine line) {
		if (line instanceof Difference d) {
			return row("difference", d.kind().wire(), d.action().wire(), d.gateway(), d.orderId(), d.gatewayOrderId(),
					d.paymentId(), d.refundId(), d.tijoriState(), d.gatewayState(), amount(d.tijoriAmount(), d.currency()),
					amount(d.gatewayAmount(), d.currency()), d.currency(), d.detail());
		}
		if (line instanceof Totals t) {
			return row("total", "captured", t.gateway(), t.tijori().captured(), t.atGateway().captured(), t.currency())
					+ row("total", "refunded", t.gateway(), t.tijori().refunded(), t.atGateway().refunded(), t.currency())
					+ row("total", "net", t.gateway(), t.tijori().net(), t.atGateway().net(), t.currency());
		}
		Summary s = (Summary) line;
		return row("summary", null, null, s.gateway(), null, null, null, null, null, null, new String[2],
				new String[2], null, "from " + s.from() + " to " + s.to() + "; orders " + s.orders() + "; differences "
						+ s.differences() + "; unexplained " + s.unexplained() + "; unknown payments listed at "
						+ (s.unknownPaymentsListed().isEmpty() ? "no gateway" : String.join(" ", s.unknownPaymentsListed())));
	}

	private static String row(String record, String kind, String gateway, Totals.Sum tijori, Totals.Sum atGateway,
			String currency) {
		return row(record, kind, null, gateway, null, null, null, null, null, null,
				new String[] { Long.toString(tijori.paise()), tijori.rupees() },
				new String[] { Long.toString(atGateway.paise()), atGateway.rupees() }, currency, null);
	}

	private static String[] amount(Long paise, String currency) {
		if (paise == null || currency == null) {
			return new String[2];
		}
		Totals.Sum sum = Totals.Sum.of(paise, currency);
		return new String[] { Long.toString(sum.paise()), sum.rupees() };
	}

	private static String row(String record, String kind, String action, String gateway, String orderId,
			String gatewayOrderId, String paymentId, String refundId, String tijoriState, String gatewayState,
			String[] tijori, String[] atGateway, String currency, String detail) {
		List<String> cells = new ArrayList<>();
		for (String text : new String[] { record, kind, action, gateway, orderId, gatewayOrderId, paymentId, refundId,
				tijoriState, gatewayState }) {
			cells.add(text(text));
		}
		cells.add(number(tijori[0]));
		cells.add(number(tijori[1]));
		cells.add(number(atGateway[0]));
		cells.add(number(atGateway[1]));
		cells.add(text(currency));
		cells.add(text(detail));
		return cells.stream().collect(Collectors.joining(",", "", "\r\n"));
	}

	private static String number(String value) {
		return (value != null) ? value : "";
	}

	private static String text(String value) {
		if (value == null) {
			return "";
		}
		String safe = (!value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0) ? "'" + value : value;
		boolean quote = safe.indexOf(',') >= 0 || safe.indexOf('"') >= 0 || safe.indexOf('\n') >= 0
				|| safe.indexOf('\r') >= 0;
		return quote ? '"' + safe.replace("\"", "\"\"") + '"' : safe;
	}

}
