package com.tijorihq.tijori.events;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import com.tijorihq.tijori.accounts.TijoriUser;

/**
 * One order's status as a stream of Server-Sent Events, already encoded: the current status (or, after a
 * reconnect, what the client missed), then each change as the instance's {@link OrderEventBus} sees it, each
 * version once and in order, with heartbeats in between; it ends on a status a checkout page stops on.
 * <p>
 * Opening one costs one read of the order (the access check is the snapshot) plus, on a resume, one read of the
 * events missed. After that the stream holds its order id, its bus subscription and its last version: not the
 * user, the session or the order. On a Reactor Netty HTTP/1.1 connection (always, in production) the part after
 * the head is a {@link ConnectionStream}: changes are written straight to the connection and the instance's
 * {@link StreamTicker} sends the heartbeats. Elsewhere (another server, HTTP/2) it is a Reactor pipeline with a
 * timer of its own.
 */
@Component
class OrderStatusStreams {

	private final OrderAccess orders;

	private final OrderEventStore store;

	private final OrderEventBus bus;

	private final SseFrames frames;

	private final EventsProperties properties;

	private final StreamTicker ticker;

	/** Streams running as a pipeline (not on a connection of their own). */
	private final AtomicInteger open = new AtomicInteger();

	OrderStatusStreams(OrderAccess orders, OrderEventStore store, OrderEventBus bus, SseFrames frames,
			EventsProperties properties, StreamTicker ticker, MeterRegistry meters) {
		this.orders = orders;
		this.store = store;
		this.bus = bus;
		this.frames = frames;
		this.properties = properties;
		this.ticker = ticker;
		Gauge.builder("tijori.sse.streams.open", this, OrderStatusStreams::openStreams)
			.description("Open order status streams (Server-Sent Events) on this instance")
			.register(meters);
	}

	/**
	 * What to answer a subscriber: a stream, or nothing (the client already has the order's final status). A
	 * stream is either {@code events} (a pipeline) or {@code head} then {@code live} (null when the head ends it).
	 */
	record Opened(Flux<byte[]> events, byte[] head, ConnectionStream live) {

		static final Opened FINISHED = new Opened(null, null, null);

		boolean finished() {
			return this.events == null && this.head == null;
		}

	}

	/**
	 * Checks access (404 for an order the user may not see) before anything is streamed.
	 * @param lastEventId the {@code Last-Event-ID} the client sent, or null
	 * @param channel the connection to write to directly ({@link ConnectionStream#channelOf}), or null
	 */
	Mono<Opened> open(TijoriUser user, String orderId, Long lastEventId, Channel channel) {
		if (channel == null) {
			return open(user, orderId, lastEventId);
		}
		long after = (lastEventId != null) ? lastEventId : 0;
		return Mono.defer(() -> {
			// live first, then the current state: a change between the two waits in the stream, never lost
			ConnectionStream stream = new ConnectionStream(channel, orderId, after, this.bus, this.ticker,
					this.properties.bufferSize())
				.register();
			return this.orders.visibleTo(user, orderId)
				.flatMap(view -> head(view, lastEventId).map(frames -> opened(view, lastEventId, frames, stream)))
				.doOnError(ex -> stream.abandon())
				.doOnCancel(stream::abandon);
		});
	}

	/** The current status, or after a reconnect the changes missed: each version once, up to a final status. */
	private Mono<List<SseFrames.Frame>> head(OrderView view, Long lastEventId) {
		if (lastEventId == null) {
			return Mono.just(List.of(this.frames.status(new OrderStatusEvent(view.orderId(), view.version(),
					view.status(), view.updatedAt(), view.endsStream()))));
		}
		if (lastEventId >= view.version()) {
			return Mono.just(List.of());
		}
		return inOrder(this.store.since(view.orderId(), lastEventId, view.version()).map(this.frames::status),
				lastEventId)
			.collectList();
	}

	private Opened opened(OrderView view, Long lastEventId, List<SseFrames.Frame> head, ConnectionStream stream) {
		if (lastEventId != null && lastEventId >= view.version() && view.endsStream()) {
			stream.abandon();
			return Opened.FINISHED;
		}
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
		bytes.writeBytes(SseFrames.preamble(view.orderId(), this.properties.retry()));
		head.forEach(frame -> bytes.writeBytes(frame.bytes()));
		if (!head.isEmpty()) {
			SseFrames.Frame last = head.get(head.size() - 1);
			if (last.endsStream()) {
				stream.abandon();
				return new Opened(null, bytes.toByteArray(), null);
			}
			stream.headCovers(last.version());
		}
		return new Opened(null, bytes.toByteArray(), stream);
	}

	/** The same as a pipeline, for a response that is not a Reactor Netty HTTP/1.1 connection. */
	Mono<Opened> open(TijoriUser user, String orderId, Long lastEventId) {
		// live first, then the current state: a change between the two is in the buffer, never lost
		return Mono.defer(() -> {
			OrderEventBus.Subscription live = this.bus.subscribe(orderId);
			// the stream releases it once it runs; until then, a refusal or a cancel does
			return this.orders.visibleTo(user, orderId)
				.map(view -> opened(view, lastEventId, live))
				.doOnError(ex -> live.dispose())
				.doOnCancel(live::dispose);
		});
	}

	private Opened opened(OrderView view, Long lastEventId, OrderEventBus.Subscription live) {
		if (lastEventId != null && lastEventId >= view.version() && view.endsStream()) {
			live.dispose();
			return Opened.FINISHED;
		}
		String orderId = view.orderId();
		Flux<SseFrames.Frame> head = (lastEventId == null)
				? Flux.just(this.frames.status(new OrderStatusEvent(orderId, view.version(), view.status(),
						view.updatedAt(), view.endsStream())))
				: this.store.since(orderId, lastEventId, view.version()).map(this.frames::status);
		Flux<byte[]> changes = inOrder(head.concatWith(live.events()), (lastEventId != null) ? lastEventId : 0)
			.map(SseFrames.Frame::bytes)
			.doFinally(signal -> live.dispose());
		// a client that does not keep up gets SlowSubscriberException: it passes every queue, so the connection is
		// closed at once (SlowStreamExceptionHandler); the client reconnects with Last-Event-ID and misses nothing
		Flux<byte[]> stream = withHeartbeats(
				Flux.concat(Mono.just(SseFrames.preamble(orderId, this.properties.retry())), changes),
				this.properties.heartbeat())
			.take(this.properties.maxLifetime())
			.doOnSubscribe(subscription -> this.open.incrementAndGet())
			.doFinally(signal -> this.open.decrementAndGet());
		return new Opened(stream, null, null);
	}

	int openStreams() {
		return this.open.get() + this.ticker.openStreams();
	}

	/** Drops versions already sent (replay and live overlap) and ends after a status that ends the stream. */
	static Flux<SseFrames.Frame> inOrder(Flux<SseFrames.Frame> changes, long after) {
		return Flux.defer(() -> {
			long[] last = { after };
			return changes.<SseFrames.Frame>handle((change, sink) -> {
				if (change.version() > last[0]) {
					last[0] = change.version();
					sink.next(change);
				}
			}).takeUntil(SseFrames.Frame::endsStream);
		});
	}

	/** Interleaves heartbeats (dropped, not queued, while the client is not reading) until the events end. */
	static Flux<byte[]> withHeartbeats(Flux<byte[]> events, Duration every) {
		byte[] end = new byte[0];
		Flux<byte[]> beats = Flux.interval(every, every).onBackpressureDrop().map(tick -> SseFrames.HEARTBEAT);
		return Flux.merge(events.concatWith(Mono.just(end)), beats).takeWhile(event -> event != end);
	}

}
