package com.tijorihq.tijori.checkout;

import java.time.Instant;
import java.util.function.Function;

import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import org.springframework.stereotype.Component;

import com.tijorihq.tijori.common.TijoriException;

/**
 * Applies one status change through the state machine: a no-op when the order is already there or may not move
 * there, otherwise one conditional write (status + version + event, and the order due for the event relay), then
 * the change announced to this instance's live streams ({@link OrderEventLog}). When a concurrent writer changed the order first, it re-reads and decides again.
 */
@Component
class OrderTransitions {

	private final OrderRepository orders;

	private final OrderEventLog events;

	private final MeterRegistry meters;

	OrderTransitions(OrderRepository orders, OrderEventLog events, MeterRegistry meters) {
		this.orders = orders;
		this.events = events;
		this.meters = meters;
	}

	/** The order after the attempt, and whether this call made the change. */
	record Result(OrderDocument order, boolean changed) {
	}

	Mono<Result> moveTo(String orderId, OrderStatus to) {
		return moveTo(orderId, order -> to, null);
	}

	/** Moves the order where its payments put it ({@link OrderStateMachine#fromPayments}), decided on each read. */
	Mono<Result> settle(String orderId) {
		return moveTo(orderId, OrderStateMachine::fromPayments, null);
	}

	/** Makes the order {@code paid} by this payment, unless it is paid already (then the payment is a duplicate). */
	Mono<Result> markPaid(String orderId, String gatewayPaymentId) {
		return moveTo(orderId, order -> OrderStatus.PAID, gatewayPaymentId);
	}

	/**
	 * Records an exact capture and makes the order {@code paid} by it in one write, if the order is still as
	 * read; empty otherwise.
	 */
	Mono<Result> recordCaptureAndPay(OrderDocument seen, OrderDocument.Payment payment) {
		return this.orders.recordCaptureAndPay(seen, payment, Instant.now())
			.map(changed -> new Result(changed, true))
			.flatMap(result -> published(result, OrderStatus.PAID));
	}

	/**
	 * Moves the order as it was read, with one conditional write pinned to that read's version and revision: the
	 * change is made only if nothing about the order, its payments or attempts changed since (empty otherwise).
	 */
	Mono<Result> moveIfUnchanged(OrderDocument seen, OrderStatus to) {
		if (seen.status() == to || !OrderStateMachine.canMove(seen.status(), to)) {
			return Mono.empty();
		}
		return this.orders.transition(seen, to, Instant.now(), null, true)
			.map(changed -> new Result(changed, true))
			.flatMap(result -> published(result, to));
	}

	/**
	 * Re-reads the order and moves it to {@code target(order)} (null: stay), retrying on a concurrent change so
	 * the target is always decided on the order as it is.
	 */
	private Mono<Result> moveTo(String orderId, Function<OrderDocument, OrderStatus> target, String paidBy) {
		return Mono.defer(() -> this.orders.find(orderId))
			.switchIfEmpty(Mono.error(() -> TijoriException.notFound("Order")))
			.flatMap(order -> {
				OrderStatus to = target.apply(order);
				if (to == null || order.status() == to || !OrderStateMachine.canMove(order.status(), to)) {
					return Mono.just(new Result(order, false));
				}
				return this.orders.transition(order, to, Instant.now(), paidBy)
					.map(changed -> new Result(changed, true))
					.switchIfEmpty(Mono.error(ConcurrentChange::new));
			})
			.retryWhen(Retry.max(20).filter(ConcurrentChange.class::isInstance))
			.flatMap(result -> result.changed() ? published(result, result.order().status()) : Mono.just(result));
	}

	private Mono<Result> published(Result result, OrderStatus to) {
		this.meters.counter("tijori.order.transitions", "status", to.wire()).increment();
		this.events.announce(result.order());
		return Mono.just(result);
	}

	/** Someone else changed the order between our read and our write. */
	private static final class ConcurrentChange extends RuntimeException {

		ConcurrentChange() {
			super(null, null, false, false);
		}

	}

}
