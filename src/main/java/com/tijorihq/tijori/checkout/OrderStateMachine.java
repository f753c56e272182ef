package com.tijorihq.tijori.checkout;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The only place that knows which status changes are allowed, as a table. Everything that writes a status
 * filters its conditional update on {@link #from(OrderStatus)}, so a duplicate, late or concurrent event can never
 * apply twice or move an order backwards.
 *
 * <p>
 * Orders: {@code created → attempted → paid → partially_refunded → refunded}; {@code created|attempted → failed};
 * {@code failed → attempted} (the buyer pays again); {@code created|attempted|failed → expired}; and a captured
 * payment always wins: {@code created|attempted|failed|expired → paid}, because Razorpay can authorise a "failed"
 * payment up to three days later. Payments: {@code created → authorized → captured → refunded},
 * {@code created|authorized → failed}, {@code failed → authorized} (late authorisation), plus the shortcuts
 * {@code created|failed → captured} and {@code authorized → refunded} for when the gateway reports several steps at
 * once or refunds an authorisation that was never captured.
 */
public final class OrderStateMachine {

	private static final Map<OrderStatus, Set<OrderStatus>> ORDER = new EnumMap<>(OrderStatus.class);

	private static final Map<PaymentStatus, Set<PaymentStatus>> PAYMENT = new EnumMap<>(PaymentStatus.class);

	static {
		ORDER.put(OrderStatus.CREATED, EnumSet.of(OrderStatus.ATTEMPTED, OrderStatus.PAID, OrderStatus.FAILED,
				OrderStatus.EXPIRED));
		ORDER.put(OrderStatus.ATTEMPTED, EnumSet.of(OrderStatus.PAID, OrderStatus.FAILED, OrderStatus.EXPIRED));
		ORDER.put(OrderStatus.FAILED, EnumSet.of(OrderStatus.ATTEMPTED, OrderStatus.PAID, OrderStatus.EXPIRED));
		ORDER.put(OrderStatus.EXPIRED, EnumSet.of(OrderStatus.PAID));
		ORDER.put(OrderStatus.PAID, EnumSet.of(OrderStatus.PARTIALLY_REFUNDED, OrderStatus.REFUNDED));
		ORDER.put(OrderStatus.PARTIALLY_REFUNDED, EnumSet.of(OrderStatus.REFUNDED));
		ORDER.put(OrderStatus.REFUNDED, EnumSet.noneOf(OrderStatus.class));

		PAYMENT.put(PaymentStatus.CREATED, EnumSet.of(PaymentStatus.AUTHORIZED, PaymentStatus.CAPTURED,
				PaymentStatus.FAILED));
		PAYMENT.put(PaymentStatus.AUTHORIZED, EnumSet.of(PaymentStatus.CAPTURED, PaymentStatus.FAILED,
				PaymentStatus.REFUNDED));
		PAYMENT.put(PaymentStatus.CAPTURED, EnumSet.of(PaymentStatus.REFUNDED));
		PAYMENT.put(PaymentStatus.FAILED, EnumSet.of(PaymentStatus.AUTHORIZED, PaymentStatus.CAPTURED));
		PAYMENT.put(PaymentStatus.REFUNDED, EnumSet.noneOf(PaymentStatus.class));
	}

	private OrderStateMachine() {
	}

	public static boolean canMove(OrderStatus from, OrderStatus to) {
		return ORDER.get(from).contains(to);
	}

	public static boolean canMove(PaymentStatus from, PaymentStatus to) {
		return PAYMENT.get(from).contains(to);
	}

	/**
	 * Where an unpaid order's payments put it, or null to leave it where it is: {@code attempted} while any
	 * payment is authorised or the current attempt has one under way; {@code failed} only when the current
	 * attempt's payments all failed (an older attempt's failure never fails the order). A function of the stored
	 * payments alone, so replaying the same payments in any order, any number of times, lands on the same status
	 * and appends no event. Captures are not decided here: the capture that wins the move to {@code paid} names
	 * itself ({@link OrderTransitions#markPaid}).
	 */
	static OrderStatus fromPayments(OrderDocument order) {
		if (!order.status().awaitingPayment()) {
			return null;
		}
		boolean authorised = order.paymentMap()
			.values()
			.stream()
			.anyMatch(p -> p.status() == PaymentStatus.AUTHORIZED && !p.isDuplicate());
		if (authorised) {
			return OrderStatus.ATTEMPTED;
		}
		return order.currentAttempt().map(attempt -> switch (AttemptStatus.of(order.paymentsOn(attempt.gatewayOrderId()))) {
			case PENDING -> OrderStatus.ATTEMPTED;
			case FAILED -> OrderStatus.FAILED;
			case CREATED, CAPTURED -> null;
		}).orElse(null);
	}

	/** The statuses an order may be in for a move to {@code to}. */
	public static Set<OrderStatus> from(OrderStatus to) {
		EnumSet<OrderStatus> from = EnumSet.noneOf(OrderStatus.class);
		ORDER.forEach((status, targets) -> {
			if (targets.contains(to)) {
				from.add(status);
			}
		});
		return from;
	}

	/** The statuses a payment may be in for a move to {@code to}, or to stay at {@code to} (idempotent). */
	public static Set<PaymentStatus> fromOrSame(PaymentStatus to) {
		EnumSet<PaymentStatus> from = EnumSet.of(to);
		PAYMENT.forEach((status, targets) -> {
			if (targets.contains(to)) {
				from.add(status);
			}
		});
		return from;
	}

}
