package com.tijorihq.tijori.checkout;

import java.time.Instant;

import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import org.springframework.stereotype.Component;

import com.tijorihq.tijori.common.TijoriException;

/**
 * Applies one status change through the state machine: a no-op when the order is already there or may not move
 * there, otherwise one conditional write (status + version + event) and then the event's copy to
 * {@code order_events}. When a concurrent writer changed the order first, it re-reads and decides again.
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
		return Mono.defer(() -> this.orders.find(orderId))
			.switchIfEmpty(Mono.error(() -> TijoriException.notFound("Order")))
			.flatMap(order -> {
				if (order.status() == to || !OrderStateMachine.canMove(order.status(), to)) {
					return Mono.just(new Result(order, false));
				}
				return this.orders.transition(order, to, Instant.now())
					.map(changed -> new Result(changed, true))
					.switchIfEmpty(Mono.error(ConcurrentChange::new));
			})
			.retryWhen(Retry.max(20).filter(ConcurrentChange.class::isInstance))
			.flatMap(result -> {
				if (!result.changed()) {
					return Mono.just(result);
				}
				this.meters.counter("tijori.order.transitions", "status", to.wire()).increment();
				return this.events.publish(result.order()).thenReturn(result);
			});
	}

	/** Someone else changed the order between our read and our write. */
	private static final class ConcurrentChange extends RuntimeException {

		ConcurrentChange() {
			super(null, null, false, false);
		}

	}

}
