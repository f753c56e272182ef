package com.tijorihq.tijori.reconciliation;

import java.time.Instant;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What reconciliation reads of Tijori's books; checkout implements it, so reconciliation never reads checkout's
 * collection.
 */
public interface OrderBooks {

	/**
	 * Up to {@code limit} orders created in {@code [from, to)}, oldest first, strictly after {@code after} (null:
	 * from the start); with {@code gateway} set, only orders with an attempt at that gateway.
	 */
	Flux<BookedOrder> createdBetween(Instant from, Instant to, String gateway, BookedOrder.Position after, int limit);

	/** Whether any order has an attempt that is this gateway order. */
	Mono<Boolean> knowsGatewayOrder(String gatewayOrderId);

}
