package com.tijorihq.tijori.checkout;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import com.tijorihq.tijori.checkout.OrderDocument.OrderEvent;
import com.tijorihq.tijori.events.OrderEventPublisher;
import com.tijorihq.tijori.events.OrderStatusEvent;

/**
 * Hands each order's status changes to the live streams ({@link OrderEventPublisher}). The change itself is
 * written with the order (the order's {@code events} are the outbox); the hand-over happens right after, and a
 * relay repeats it for any order whose hand-over was interrupted by a crash. The publisher stores each
 * {@code (order, version)} once, so no event is ever lost and none is stored twice.
 */
@Component
class OrderEventLog {

	private static final Logger log = LoggerFactory.getLogger(OrderEventLog.class);

	private final OrderEventPublisher publisher;

	private final OrderRepository orders;

	OrderEventLog(OrderEventPublisher publisher, OrderRepository orders) {
		this.publisher = publisher;
		this.orders = orders;
	}

	/**
	 * Hands {@code events} every change of the order it does not have yet (a new order's {@code created} event is
	 * left to the relay, off the checkout's request path, unless a later change comes first).
	 */
	Mono<Void> publish(OrderDocument order) {
		List<OrderStatusEvent> unpublished = order.events()
			.stream()
			.filter(event -> event.version() > order.publishedUpTo())
			.map(event -> toStatusEvent(order.publicId(), event))
			.toList();
		return this.publisher.publishAll(unpublished)
			.then(this.orders.markEventsPublished(order.publicId(), order.version()));
	}

	/** Re-publishes the events of orders whose hand-over did not finish (a crash between the two writes). */
	@Scheduled(fixedDelayString = "${tijori.checkout.event-relay-interval:PT10S}", initialDelay = 5_000)
	Mono<Void> relay() {
		// deferred: Spring subscribes the one Mono this method returns on every tick, so the clock must be read
		// at subscription, not when the Mono is built
		return Flux.defer(() -> this.orders.findWithPendingEvents(Instant.now().minus(Duration.ofSeconds(5)), 500))
			.concatMap(this::publish)
			.onErrorResume(ex -> {
				log.warn("Order event relay failed, will retry: {}", ex.toString());
				return Mono.empty();
			})
			.then();
	}

	private static OrderStatusEvent toStatusEvent(String orderId, OrderEvent event) {
		return new OrderStatusEvent(orderId, event.version(), event.status().wire(), event.at(),
				event.status().endsStream());
	}

}
