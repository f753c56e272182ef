package com.tijorihq.tijori.events;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Status changes fanned out to the subscribers of each order, from two sources: this instance's own publishes
 * (at once, {@link #deliver}) and the instance's one tail of {@code order_events} (what other replicas publish).
 * Each change reaches an order's subscribers once, whichever source sees it first: an order's watchers remember
 * the highest version they were given. A change is encoded once and the same bytes go to every subscriber.
 * <p>
 * Each subscriber gets its own bounded buffer; one that fills up is closed ({@link SlowSubscriberException})
 * instead of slowing the others or growing without limit. Delivery costs a map lookup plus the order's own
 * subscribers, whatever the number of streams on the instance. Subscribers that live on an executor (a status
 * stream on its connection's event loop) are handed a change in one task per executor, not one per subscriber:
 * each event loop then writes its own connections, in parallel with the others.
 * <p>
 * Runs from application start to stop. It stops before the web server's graceful shutdown waits for open
 * requests: the streams complete then (their clients reconnect, to another pod), instead of holding up shutdown.
 */
@Component
class OrderEventBus implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(OrderEventBus.class);

	private final OrderEventTail tail;

	private final SseFrames frames;

	private final int bufferSize;

	private final Counter cutOff;

	private final Counter repeated;

	private final ConcurrentHashMap<String, Watchers> byOrder = new ConcurrentHashMap<>();

	private volatile Disposable running;

	private volatile boolean stopped;

	OrderEventBus(OrderEventTail tail, SseFrames frames, EventsProperties properties, MeterRegistry meters) {
		this.tail = tail;
		this.frames = frames;
		this.bufferSize = properties.bufferSize();
		this.cutOff = Counter.builder("tijori.sse.streams.cut")
			.description("Status streams closed because their client did not keep up")
			.register(meters);
		this.repeated = Counter.builder("tijori.sse.changes.repeated")
			.description("Changes handed to subscribers that already had them (local delivery, then the tail)")
			.register(meters);
	}

	/**
	 * Starts collecting this order's events at once (before the caller reads the current status, so nothing
	 * falls between the two). The caller subscribes to {@link Subscription#events()} or disposes the subscription.
	 */
	Subscription subscribe(String orderId) {
		Subscription subscription = new Subscription(orderId,
				Sinks.many().unicast().onBackpressureBuffer(Queues.<SseFrames.Frame>get(this.bufferSize).get()),
				Sinks.empty());
		register(orderId, subscription);
		return subscription;
	}

	/**
	 * Starts handing this order's changes to {@code listener} (before the caller reads the current status, so
	 * nothing falls between the two), until {@link #unregister}.
	 */
	void register(String orderId, Listener listener) {
		this.byOrder.compute(orderId, (id, watchers) -> {
			Watchers all = (watchers != null) ? watchers : new Watchers();
			all.subscribers.add(listener);
			return all;
		});
		if (this.stopped) {
			listener.complete();
		}
	}

	void unregister(String orderId, Listener listener) {
		this.byOrder.computeIfPresent(orderId, (id, watchers) -> {
			watchers.subscribers.remove(listener);
			return watchers.subscribers.isEmpty() ? null : watchers;
		});
	}

	/** A subscriber was closed for not keeping up. */
	void countCut() {
		this.cutOff.increment();
	}

	/** Subscriptions currently registered, for all orders. */
	int subscriptions() {
		return this.byOrder.values().stream().mapToInt(watchers -> watchers.subscribers.size()).sum();
	}

	/**
	 * Hands the change to the order's subscribers unless they already had it (or a later one). Called when this
	 * instance makes a change (announced before it is stored), after it stores one, and by the tail for every
	 * change it reads.
	 */
	void deliver(OrderStatusEvent event) {
		Watchers watchers = this.byOrder.get(event.orderId());
		if (watchers == null) {
			return;
		}
		// one source at a time per order: the sinks take one emitter at a time, and the version check must hold
		synchronized (watchers) {
			if (event.version() <= watchers.delivered) {
				this.repeated.increment();
				return;
			}
			watchers.delivered = event.version();
			SseFrames.Frame frame = this.frames.status(event);
			Map<Executor, List<Listener>> batches = null;
			for (Listener subscriber : watchers.subscribers) {
				Executor executor = subscriber.executor();
				if (executor == null) {
					subscriber.offer(frame);
					continue;
				}
				if (batches == null) {
					batches = new IdentityHashMap<>();
				}
				batches.computeIfAbsent(executor, key -> new ArrayList<>()).add(subscriber);
			}
			if (batches != null) {
				// submitted under the order's lock: each executor gets an order's changes in version order
				batches.forEach((executor, batch) -> executor.execute(() -> batch.forEach(s -> s.offer(frame))));
			}
		}
	}

	@Override
	public void start() {
		this.stopped = false;
		this.running = this.tail.follow()
			.subscribe(record -> deliver(record.toEvent()), ex -> log.error("Order event tail stopped", ex));
	}

	@Override
	public void stop() {
		this.stopped = true;
		Disposable current = this.running;
		if (current != null) {
			current.dispose();
		}
		int open = subscriptions();
		this.byOrder.values().forEach(watchers -> watchers.subscribers.forEach(Listener::complete));
		if (open > 0) {
			log.info("Closed {} status stream(s) for shutdown; clients reconnect elsewhere", open);
		}
	}

	@Override
	public boolean isRunning() {
		Disposable current = this.running;
		return current != null && !current.isDisposed();
	}

	/** One subscriber of an order's changes. */
	interface Listener {

		/** Where {@link #offer} runs, or null for the delivering thread (then it must not block or take long). */
		default Executor executor() {
			return null;
		}

		/** The next change (a version this subscriber may already have had from elsewhere, e.g. a replay). */
		void offer(SseFrames.Frame frame);

		/** The instance stops: end the stream, so that its client reconnects to another replica. */
		void complete();

	}

	/** An order's subscribers, and the highest version handed to them. */
	private static final class Watchers {

		final Set<Listener> subscribers = ConcurrentHashMap.newKeySet();

		/** Guarded by the instance's monitor. */
		long delivered;

	}

	/** One stream's interest in one order, as a {@link Flux} (streams not on a Netty connection; tests). */
	final class Subscription implements Disposable, Listener {

		private final String orderId;

		private final Sinks.Many<SseFrames.Frame> sink;

		/** Errors at once when the buffer overflows: an error in the buffer itself would wait behind its items. */
		private final Sinks.Empty<SseFrames.Frame> cut;

		private final AtomicBoolean disposed = new AtomicBoolean();

		private Subscription(String orderId, Sinks.Many<SseFrames.Frame> sink, Sinks.Empty<SseFrames.Frame> cut) {
			this.orderId = orderId;
			this.sink = sink;
			this.cut = cut;
		}

		/**
		 * The order's events since {@link OrderEventBus#subscribe}; once only. Unsubscribing releases it. Fails
		 * with {@link SlowSubscriberException}, without waiting for demand, when the subscriber falls behind.
		 */
		Flux<SseFrames.Frame> events() {
			return this.sink.asFlux().takeUntilOther(this.cut.asMono()).doFinally(signal -> dispose());
		}

		@Override
		public void offer(SseFrames.Frame frame) {
			Sinks.EmitResult result = this.sink.tryEmitNext(frame);
			if (result == Sinks.EmitResult.FAIL_OVERFLOW) {
				OrderEventBus.this.cutOff.increment();
				this.cut.tryEmitError(new SlowSubscriberException());
				dispose();
			}
			else if (result == Sinks.EmitResult.FAIL_CANCELLED || result == Sinks.EmitResult.FAIL_TERMINATED) {
				dispose();
			}
		}

		@Override
		public void complete() {
			this.sink.tryEmitComplete();
			this.cut.tryEmitEmpty();
			dispose();
		}

		@Override
		public void dispose() {
			if (this.disposed.compareAndSet(false, true)) {
				unregister(this.orderId, this);
			}
		}

		@Override
		public boolean isDisposed() {
			return this.disposed.get();
		}

	}

}
