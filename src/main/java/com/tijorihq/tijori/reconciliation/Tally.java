package com.tijorihq.tijori.reconciliation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.tijorihq.tijori.gateway.GatewayPayment;

/**
 * One report's running counts: totals per gateway and currency, orders, differences. Only sums are kept, so a
 * report over any window holds the same few numbers.
 */
final class Tally {

	private final String gateway;

	private final Map<String, long[]> sums = new TreeMap<>();

	private long orders;

	private long differences;

	private long unexplained;

	/** @param gateway the only gateway counted, or null for all */
	Tally(String gateway) {
		this.gateway = gateway;
	}

	synchronized void order(BookedOrder order, Map<String, List<GatewayPayment>> atGateway,
			List<Difference> found) {
		this.orders++;
		for (BookedOrder.Attempt attempt : order.attempts()) {
			if (!counts(attempt.gateway())) {
				continue;
			}
			for (BookedOrder.Payment payment : order.payments()) {
				if (payment.captured() && attempt.gatewayOrderId().equals(payment.gatewayOrderId())) {
					long[] sum = sum(attempt.gateway(), payment.amount().currency());
					sum[0] = Math.addExact(sum[0], payment.amount().amount());
					sum[1] = Math.addExact(sum[1], payment.refunded());
				}
			}
			for (GatewayPayment payment : atGateway.getOrDefault(attempt.gatewayOrderId(), List.of())) {
				gatewayPayment(attempt.gateway(), payment);
			}
		}
		found.forEach(this::difference);
	}

	/** A payment the gateway has that no order in the window accounts for. */
	synchronized void gatewayPayment(String gateway, GatewayPayment payment) {
		if (!counts(gateway) || !(payment.status() == GatewayPayment.Status.CAPTURED
				|| payment.status() == GatewayPayment.Status.REFUNDED)) {
			return;
		}
		long[] sum = sum(gateway, payment.amount().currency());
		sum[2] = Math.addExact(sum[2], payment.amount().amount());
		sum[3] = Math.addExact(sum[3], payment.amountRefunded());
	}

	synchronized void difference(Difference difference) {
		this.differences++;
		if (difference.unexplained()) {
			this.unexplained++;
		}
	}

	synchronized List<Totals> totals() {
		List<Totals> all = new ArrayList<>();
		this.sums.forEach((key, sum) -> {
			String[] parts = key.split(" ", 2);
			all.add(new Totals(parts[0], parts[1], Totals.Side.of(sum[0], sum[1], parts[1]),
					Totals.Side.of(sum[2], sum[3], parts[1])));
		});
		return all;
	}

	synchronized Summary summary(ReconciliationService.Window window, List<String> listed) {
		return new Summary(window.from().toString(), window.to().toString(), window.gateway(), this.orders,
				this.differences, this.unexplained, listed);
	}

	boolean counts(String gateway) {
		return this.gateway == null || this.gateway.equals(gateway);
	}

	private long[] sum(String gateway, String currency) {
		return this.sums.computeIfAbsent(gateway + " " + currency, key -> new long[4]);
	}

}
