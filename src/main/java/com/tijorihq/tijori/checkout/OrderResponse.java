package com.tijorihq.tijori.checkout;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.tijorihq.tijori.common.Money;

/**
 * An order as the API returns it (never the stored document).
 *
 * @param checkout what the buyer's browser needs to open the order's gateway checkout: empty for Razorpay (its
 *        {@code keyId} and {@code gatewayOrderId} suffice), Paytm's {@code mid}/{@code orderId}/{@code txnToken},
 *        PayU's form {@code action} and signed fields. Public values only.
 */
record OrderResponse(String id, OrderStatus status, Money amount, List<Item> items, String gateway,
		String gatewayOrderId, String keyId, Instant createdAt, Instant updatedAt, List<Payment> payments,
		List<RefundResponse> refunds, Money amountRefunded, Map<String, String> checkout) {

	record Item(String productId, String name, long quantity, Money unitPrice) {
	}

	record Payment(String id, String gatewayPaymentId, PaymentStatus status, String method, Money amount) {
	}

	static OrderResponse of(OrderDocument order, String keyId) {
		List<Item> items = order.items()
			.stream()
			.map(line -> new Item(line.productId(), line.name(), line.quantity(), line.unitPrice()))
			.toList();
		List<Payment> payments = (order.payments() == null) ? List.of()
				: order.payments()
					.values()
					.stream()
					.sorted(Comparator.comparing(OrderDocument.PaymentAttempt::createdAt))
					.map(p -> new Payment(p.publicId(), p.gatewayPaymentId(), p.status(), p.method(),
							new Money(p.amount(), p.currency())))
					.toList();
		List<RefundResponse> refunds = (order.refunds() == null) ? List.of()
				: order.refunds()
					.values()
					.stream()
					.sorted(Comparator.comparing(OrderDocument.RefundRecord::createdAt)
						.thenComparing(OrderDocument.RefundRecord::publicId))
					.map(refund -> RefundResponse.of(order.publicId(), refund))
					.toList();
		return new OrderResponse(order.publicId(), order.status(), order.total(), items, order.gateway(),
				order.gatewayOrderId(), keyId, order.createdAt(), order.updatedAt(), payments, refunds,
				new Money(order.amountRefunded(), order.currency()),
				(order.checkout() != null) ? order.checkout() : Map.of());
	}

}
