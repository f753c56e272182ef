package com.tijorihq.tijori.events;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;

import com.tijorihq.tijori.accounts.TijoriUser;

/**
 * One order's status as a stream of Server-Sent Events: the current status (or, after a reconnect, what the
 * client missed), then each change as the instance's {@link OrderEventBus} sees it, each version once and in
 * order, with heartbeats in between; it ends on a status a checkout page stops on.
 */
@Component
class OrderStatusStreams {

	static final String EVENT = "status";

	private final OrderAccess orders;

	private final OrderEventStore store;

	private final OrderEventBus bus;

	private final EventsProperties properties;

	private final AtomicInteger open = new AtomicInteger();

	OrderStatusStreams(OrderAccess orders, OrderEventStore store, OrderEventBus bus, EventsProperties properties,
			MeterRegistry meters) {
		this.orders = orders;
		this.store = store;
		this.bus = bus;
		this.properties = properties;
		Gauge.builder("tijori.sse.streams.open", this.open, AtomicInteger::get)
			.description("Open order status streams (Server-Sent Events) on this instance")
			.register(meters);
	}

	/** What to answer a subscriber: a stream, or nothing (the client already has the order's final status). */
	record Opened(Flux<ServerSentEvent<OrderStatusEventResponse>> events) {

		boolean finished() {
			return this.events == null;
		}

	}

	/**
	 * Checks access (404 for an order the user may not see) before anything is streamed.
	 * @param lastEventId the {@code Last-Event-ID} the client sent, or null
	 */
	Mono<Opened> open(TijoriUser user, String orderId, Long lastEventId) {
		return this.orders.visibleTo(user, orderId).map(view -> {
			if (lastEventId != null && lastEventId >= view.version() && view.endsStream()) {
				return new Opened(null);
			}
			return new Opened(stream(user, orderId, lastEventId));
		});
	}

	int openStreams() {
		return this.open.get();
	}

	private Flux<ServerSentEvent<OrderStatusEventResponse>> stream(TijoriUser user, String orderId, Long lastEventId) {
		// live first, then the current state: a change between the two is in the buffer, never lost
		Flux<Change> changes = Flux.using(() -> this.bus.subscribe(orderId), live -> {
			Flux<Change> head = (lastEventId == null)
					? this.orders.visibleTo(user, orderId).map(Change::of).flux()
					: this.store.since(orderId, lastEventId).map(Change::of);
			Flux<Change> tail = live.events().map(OrderEventRecord::toEvent).map(Change::of);
			return inOrder(head.concatWith(tail), (lastEventId != null) ? lastEventId : 0);
		}, OrderEventBus.Subscription::dispose);
		// a client that does not keep up gets SlowSubscriberException: it passes every queue, so the connection is
		// closed at once (SlowStreamExceptionHandler); the client reconnects with Last-Event-ID and misses nothing
		ServerSentEvent<OrderStatusEventResponse> preamble = ServerSentEvent.<OrderStatusEventResponse>builder()
			.comment("status of " + orderId)
			.retry(this.properties.retry())
			.build();
		return withHeartbeats(Flux.concat(Mono.just(preamble), changes.map(OrderStatusStreams::toEvent)),
				this.properties.heartbeat())
			.take(this.properties.maxLifetime())
			.doOnSubscribe(subscription -> this.open.incrementAndGet())
			.doFinally(signal -> this.open.decrementAndGet());
	}

	/** Drops versions already sent (replay and live overlap) and ends after a status that ends the stream. */
	static Flux<Change> inOrder(Flux<Change> changes, long after) {
		return Flux.defer(() -> {
			long[] last = { after };
			return changes.<Change>handle((change, sink) -> {
				if (change.version() > last[0]) {
					last[0] = change.version();
					sink.next(change);
				}
			}).takeUntil(Change::endsStream);
		});
	}

	/** Interleaves comment heartbeats (dropped, not queued, while the client is not reading) until events end. */
	static <T> Flux<ServerSentEvent<T>> withHeartbeats(Flux<ServerSentEvent<T>> events, Duration every) {
		ServerSentEvent<T> end = ServerSentEvent.<T>builder().comment("end").build();
		Flux<ServerSentEvent<T>> beats = Flux.interval(every, every)
			.onBackpressureDrop()
			.map(tick -> ServerSentEvent.<T>builder().comment("heartbeat").build());
		return Flux.merge(events.concatWith(Mono.just(end)), beats).takeWhile(event -> event != end);
	}

	static ServerSentEvent<OrderStatusEventResponse> toEvent(Change change) {
		return ServerSentEvent.builder(new OrderStatusEventResponse(change.orderId(), change.status(), change.at()))
			.id(Long.toString(change.version()))
			.event(EVENT)
			.build();
	}

	/** One status change, from whichever source told us first. */
	record Change(String orderId, long version, String status, Instant at, boolean endsStream) {

		static Change of(OrderView view) {
			return new Change(view.orderId(), view.version(), view.status(), view.updatedAt(), view.endsStream());
		}

		static Change of(OrderStatusEvent event) {
			return new Change(event.orderId(), event.version(), event.status(), event.at(), event.endsStream());
		}

	}

}
