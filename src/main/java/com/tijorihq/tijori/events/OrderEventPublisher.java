package com.tijorihq.tijori.events;

import reactor.core.publisher.Mono;

/**
 * Where the owner of orders hands each status change for the live streams. Implemented by {@code events}, which
 * owns the stored log; the caller keeps its own outbox and may publish a change again after a crash.
 */
public interface OrderEventPublisher {

	/**
	 * Hands a change that was just written to this instance's own live streams, in memory and at once; it is
	 * stored (and reaches other instances) when the owner's relay publishes it.
	 */
	void announce(OrderStatusEvent event);

	/** Stores the change once: a repeat of the same {@code (orderId, version)} completes and stores nothing. */
	Mono<Void> publish(OrderStatusEvent event);

	/**
	 * Stores several changes (of one order or many), in one round trip when none was stored before; repeats
	 * store nothing, as for {@link #publish(OrderStatusEvent)}.
	 */
	Mono<Void> publishAll(java.util.List<OrderStatusEvent> events);

}
