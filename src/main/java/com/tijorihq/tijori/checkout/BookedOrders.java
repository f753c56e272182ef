package com.tijorihq.tijori.checkout;

import java.time.Instant;
import java.util.List;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import com.tijorihq.tijori.common.Money;
import com.tijorihq.tijori.reconciliation.BookedOrder;
import com.tijorihq.tijori.reconciliation.OrderBooks;

/** Checkout's books for reconciliation, with the reconciler's own rule for which orders it still watches. */
@Component
class BookedOrders implements OrderBooks {

	private final OrderRepository orders;

	private final ReconcileProperties reconcile;

	BookedOrders(OrderRepository orders, ReconcileProperties reconcile) {
		this.orders = orders;
		this.reconcile = reconcile;
	}

	@Override
	public Flux<BookedOrder> createdBetween(Instant from, Instant to, String gateway, BookedOrder.Position after,
			int limit) {
		return Flux.defer(() -> {
			Instant now = Instant.now();
			return this.orders
				.findCreatedBetween(from, to, gateway, (after != null) ? after.createdAt() : null,
						(after != null) ? after.orderId() : null, limit)
				.map(order -> booked(order, now));
		});
	}

	@Override
	public Mono<Boolean> knowsGatewayOrder(String gatewayOrderId) {
		return this.orders.findByGatewayOrderId(gatewayOrderId).hasElement();
	}

	private BookedOrder booked(OrderDocument order, Instant now) {
		boolean paid = order.paidBy() != null && !order.status().prePayment();
		List<BookedOrder.Attempt> attempts = order.attemptList()
			.stream()
			.map(a -> new BookedOrder.Attempt((a.gateway() != null) ? a.gateway() : order.gateway(),
					a.gatewayOrderId()))
			.toList();
		List<BookedOrder.Payment> payments = order.paymentMap()
			.values()
			.stream()
			.map(p -> new BookedOrder.Payment(p.gatewayPaymentId(),
					(p.gatewayOrderId() != null) ? p.gatewayOrderId() : order.gatewayOrderId(), p.status().wire(),
					p.money(), p.refundedAmount(), p.isDuplicate()))
			.toList();
		List<BookedOrder.Refund> refunds = order.refundMap()
			.values()
			.stream()
			.map(r -> new BookedOrder.Refund(r.publicId(), r.gatewayRefundId(), r.gatewayPaymentId(), r.money(),
					r.status().wire(), r.isDuplicate()))
			.toList();
		return new BookedOrder(order.publicId(), new Money(order.amount(), order.currency()), order.status().wire(),
				paid ? order.paidBy() : null, order.createdAt(), watched(order, now), attempts, payments, refunds,
				(order.flags() != null) ? List.copyOf(order.flags()) : List.of());
	}

	/** The reconciler's reach ({@link Reconciler}): unpaid orders, recently expired ones, paid ones for late payments. */
	private boolean watched(OrderDocument order, Instant now) {
		if (order.status().awaitingPayment()) {
			return true;
		}
		return order.createdAt().plus(this.reconcile.lateWindow()).isAfter(now);
	}

}
