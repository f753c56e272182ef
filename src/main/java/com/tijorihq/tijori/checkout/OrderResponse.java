package com.tijorihq.tijori.checkout;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.tijorihq.tijori.checkout.OrderDocument.Attempt;
import com.tijorihq.tijori.common.Money;

/**
 * An order as the API returns it (never the stored document).
 *
 * @param gatewayOrderId the current attempt's gateway order
 * @param checkout what the buyer's browser needs to open the current attempt's checkout: empty for Razorpay (its
 *        {@code keyId} and {@code gatewayOrderId} suffice), Paytm's {@code mid}/{@code orderId}/{@code txnToken},
 *        PayU's form {@code action} and signed fields. Public values only.
 * @param attempts every try at paying, oldest first, each with the payments seen on it
 * @param payments every payment on any attempt, oldest first
 * @param flags what an admin should look at ({@code duplicate_payment:…}, {@code amount_mismatch:…}); admins only
 */
record OrderResponse(String id, OrderStatus status, Money amount, List<Item> items, String gateway,
		String gatewayOrderId, String keyId, Instant createdAt, Instant updatedAt, List<AttemptView> attempts,
		List<Payment> payments, List<RefundResponse> refunds, Money amountRefunded, Map<String, String> checkout,
		List<String> flags) {

	record Item(String productId, String name, long quantity, Money unitPrice) {
	}

	/**
	 * One payment. {@code duplicate}: money taken for an order another payment had already paid (refunded
	 * automatically when captured); {@code refundable}: what is left of its capture to refund.
	 */
	record Payment(String id, String gatewayPaymentId, String attemptId, PaymentStatus status, String method,
			Money amount, boolean duplicate, Money refunded, Money refundable) {
	}

	record AttemptView(String id, String gateway, String gatewayOrderId, Money amount, AttemptStatus status,
			boolean current, Instant createdAt, Instant updatedAt, List<Payment> payments) {
	}

	static OrderResponse of(OrderDocument order, String keyId, boolean admin) {
		List<Item> items = order.items()
			.stream()
			.map(line -> new Item(line.productId(), line.name(), line.quantity(), line.unitPrice()))
			.toList();
		List<Payment> payments = order.paymentMap()
			.values()
			.stream()
			.sorted(Comparator.comparing(OrderDocument.Payment::createdAt)
				.thenComparing(OrderDocument.Payment::gatewayPaymentId))
			.map(p -> payment(order, p))
			.toList();
		List<Attempt> attempts = order.attemptList();
		List<AttemptView> attemptViews = attempts.stream().map(attempt -> {
			List<Payment> on = payments.stream().filter(p -> attempt.publicId().equals(p.attemptId())).toList();
			List<OrderDocument.Payment> stored = order.paymentsOn(attempt.gatewayOrderId());
			Instant updated = stored.stream()
				.map(OrderDocument.Payment::updatedAt)
				.max(Comparator.naturalOrder())
				.orElse(attempt.createdAt());
			return new AttemptView(attempt.publicId(), attempt.gateway(), attempt.gatewayOrderId(),
					new Money(attempt.amount(), attempt.currency()), AttemptStatus.of(stored),
					attempt == attempts.get(attempts.size() - 1), attempt.createdAt(), updated, on);
		}).toList();
		List<RefundResponse> refunds = order.refundMap()
			.values()
			.stream()
			.sorted(Comparator.comparing(OrderDocument.RefundRecord::createdAt)
				.thenComparing(OrderDocument.RefundRecord::publicId))
			.map(refund -> RefundResponse.of(order.publicId(), refund))
			.toList();
		Map<String, String> checkout = order.currentAttempt()
			.map(Attempt::checkout)
			.filter(java.util.Objects::nonNull)
			.orElse(Map.of());
		List<String> flags = (admin && order.flags() != null) ? order.flags() : List.of();
		return new OrderResponse(order.publicId(), order.status(), order.total(), items, order.gateway(),
				order.gatewayOrderId(), keyId, order.createdAt(), order.updatedAt(), attemptViews, payments, refunds,
				new Money(order.amountRefunded(), order.currency()), checkout, flags);
	}

	private static Payment payment(OrderDocument order, OrderDocument.Payment p) {
		String attemptId = order.attemptOf(p.gatewayOrderId()).map(Attempt::publicId).orElse(null);
		return new Payment(p.publicId(), p.gatewayPaymentId(), attemptId, p.status(), p.method(), p.money(),
				p.isDuplicate(), new Money(p.refundedAmount(), p.currency()),
				new Money((p.refundable() != null) ? p.refundable() : 0, p.currency()));
	}

}
