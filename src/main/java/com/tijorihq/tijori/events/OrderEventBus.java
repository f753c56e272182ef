package com.tijorihq.tijori.events;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * The instance's one tail of {@code order_events}, fanned out to the subscribers of each order. Each subscriber
 * gets its own bounded buffer; one that fills up is closed ({@link SlowSubscriberException}) instead of slowing
 * the tail or growing without limit. Delivery costs a map lookup plus the order's own subscribers, whatever the
 * number of streams on the instance.
 * <p>
 * Runs from application start to stop. It stops before the web server's graceful shutdown waits for open
 * requests: the streams complete then (their clients reconnect, to another pod), instead of holding up shutdown.
 */
@Component
class OrderEventBus implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(OrderEventBus.class);

	private final OrderEventTail tail;

	private final int bufferSize;

	private final Counter cutOff;

	private final ConcurrentHashMap<String, Set<Subscription>> byOrder = new ConcurrentHashMap<>();

	private volatile Disposable running;

	private volatile boolean stopped;

	OrderEventBus(OrderEventTail tail, EventsProperties properties, MeterRegistry meters) {
		this.tail = tail;
		this.bufferSize = properties.bufferSize();
		this.cutOff = Counter.builder("tijori.sse.streams.cut")
			.description("Status streams closed because their client did not keep up")
			.register(meters);
	}

	/**
	 * Starts collecting this order's events at once (before the caller reads the current status, so nothing
	 * falls between the two). The caller subscribes to {@link Subscription#events()} or disposes the subscription.
	 */
	Subscription subscribe(String orderId) {
		Subscription subscription = new Subscription(orderId,
				Sinks.many().unicast().onBackpressureBuffer(Queues.<OrderEventRecord>get(this.bufferSize).get()),
				Sinks.empty());
		this.byOrder.compute(orderId, (id, subscribers) -> {
			Set<Subscription> set = (subscribers != null) ? subscribers : ConcurrentHashMap.newKeySet();
			set.add(subscription);
			return set;
		});
		if (this.stopped) {
			subscription.complete();
		}
		return subscription;
	}

	/** Subscriptions currently registered, for all orders. */
	int subscriptions() {
		return this.byOrder.values().stream().mapToInt(Set::size).sum();
	}

	void deliver(OrderEventRecord event) {
		Set<Subscription> subscribers = this.byOrder.get(event.orderId());
		if (subscribers != null) {
			subscribers.forEach(subscriber -> subscriber.offer(event));
		}
	}

	@Override
	public void start() {
		this.stopped = false;
		this.running = this.tail.follow()
			.subscribe(this::deliver, ex -> log.error("Order event tail stopped", ex));
	}

	@Override
	public void stop() {
		this.stopped = true;
		Disposable current = this.running;
		if (current != null) {
			current.dispose();
		}
		int open = subscriptions();
		this.byOrder.values().forEach(subscribers -> subscribers.forEach(Subscription::complete));
		if (open > 0) {
			log.info("Closed {} status stream(s) for shutdown; clients reconnect elsewhere", open);
		}
	}

	@Override
	public boolean isRunning() {
		Disposable current = this.running;
		return current != null && !current.isDisposed();
	}

	/** One stream's interest in one order. */
	final class Subscription implements Disposable {

		private final String orderId;

		private final Sinks.Many<OrderEventRecord> sink;

		/** Errors at once when the buffer overflows: an error in the buffer itself would wait behind its items. */
		private final Sinks.Empty<OrderEventRecord> cut;

		private final AtomicBoolean disposed = new AtomicBoolean();

		private Subscription(String orderId, Sinks.Many<OrderEventRecord> sink, Sinks.Empty<OrderEventRecord> cut) {
			this.orderId = orderId;
			this.sink = sink;
			this.cut = cut;
		}

		/**
		 * The order's events since {@link OrderEventBus#subscribe}; once only. Unsubscribing releases it. Fails
		 * with {@link SlowSubscriberException}, without waiting for demand, when the subscriber falls behind.
		 */
		Flux<OrderEventRecord> events() {
			return this.sink.asFlux().takeUntilOther(this.cut.asMono()).doFinally(signal -> dispose());
		}

		private void offer(OrderEventRecord event) {
			Sinks.EmitResult result = this.sink.tryEmitNext(event);
			if (result == Sinks.EmitResult.FAIL_OVERFLOW) {
				OrderEventBus.this.cutOff.increment();
				this.cut.tryEmitError(new SlowSubscriberException());
				dispose();
			}
			else if (result == Sinks.EmitResult.FAIL_CANCELLED || result == Sinks.EmitResult.FAIL_TERMINATED) {
				dispose();
			}
		}

		private void complete() {
			this.sink.tryEmitComplete();
			this.cut.tryEmitEmpty();
			dispose();
		}

		@Override
		public void dispose() {
			if (this.disposed.compareAndSet(false, true)) {
				OrderEventBus.this.byOrder.computeIfPresent(this.orderId, (id, subscribers) -> {
					subscribers.remove(this);
					return subscribers.isEmpty() ? null : subscribers;
				});
			}
		}

		@Override
		public boolean isDisposed() {
			return this.disposed.get();
		}

	}

}
