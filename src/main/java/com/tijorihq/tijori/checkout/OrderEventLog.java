package com.tijorihq.tijori.checkout;

import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import com.tijorihq.tijori.checkout.OrderDocument.OrderEvent;
import com.tijorihq.tijori.checkout.OrderRepository.PendingEvents;
import com.tijorihq.tijori.events.OrderEventPublisher;
import com.tijorihq.tijori.events.OrderStatusEvent;

/**
 * Hands each order's status changes to the live streams ({@link OrderEventPublisher}). The change itself is
 * written with the order (the order's {@code events} are the outbox, and the same write makes the order due for
 * the relay, {@link DueKeys#RELAY}). The request that made the change only announces it to this instance's own
 * streams (in memory); the relay, a few times a second, stores the changes of every due order in the event log
 * (which other instances tail and reconnecting streams replay) and clears their due keys in a few batched writes,
 * so a checkout or a verify spends no database command on its events. The publisher stores each
 * {@code (order, version)} once, so a relay repeated after a crash loses nothing and stores nothing twice.
 */
@Component
class OrderEventLog {

	private static final Logger log = LoggerFactory.getLogger(OrderEventLog.class);

	private static final int BATCH = 500;

	private final OrderEventPublisher publisher;

	private final OrderRepository orders;

	OrderEventLog(OrderEventPublisher publisher, OrderRepository orders) {
		this.publisher = publisher;
		this.orders = orders;
	}

	/** Hands the order's latest change to this instance's live streams at once; the relay stores it. */
	void announce(OrderDocument order) {
		List<OrderEvent> events = order.events();
		if (!events.isEmpty()) {
			this.publisher.announce(statusEvent(order.publicId(), events.get(events.size() - 1)));
		}
	}

	/** Stores the changes of every order due for the relay, then clears their due keys. */
	@Scheduled(fixedDelayString = "${tijori.checkout.event-relay-interval:500ms}", initialDelay = 1_000)
	Mono<Void> relay() {
		// deferred: Spring subscribes the one Mono this method returns on every tick, so the clock must be read
		// at subscription, not when the Mono is built
		return Flux.defer(() -> this.orders.findWithPendingEvents(Instant.now(), BATCH))
			.collectList()
			.filter(due -> !due.isEmpty())
			// one insert for the changes of the whole batch (a repeat after a crash falls back to one at a time)
			.flatMap(due -> this.publisher
				.publishAll(due.stream().flatMap(order -> unpublished(order).stream()).toList())
				.then(this.orders.markEventsPublished(due)))
			.onErrorResume(ex -> {
				log.warn("Order event relay failed, will retry: {}", ex.toString());
				return Mono.empty();
			})
			.then();
	}

	private static List<OrderStatusEvent> unpublished(PendingEvents order) {
		return order.events()
			.stream()
			.filter(event -> event.version() > order.publishedUpTo())
			.map(event -> statusEvent(order.publicId(), event))
			.toList();
	}

	private static OrderStatusEvent statusEvent(String orderId, OrderEvent event) {
		return new OrderStatusEvent(orderId, event.version(), event.status().wire(), event.at(),
				event.status().endsStream());
	}

}
