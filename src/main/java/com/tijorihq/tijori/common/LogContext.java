package com.tijorihq.tijori.common;

import java.util.function.Supplier;

import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * Log lines that name their request: the request's trace and span ids and a caller's {@code X-Request-Id} in the
 * MDC, on whatever thread the line is written.
 * <p>
 * Reactor does not copy a request's context into thread locals at every step ({@code
 * spring.reactor.context-propagation: limited}): with automatic propagation, every operator that crossed threads
 * opened and closed the request's tracing scope (an eighth of a checkout's own CPU, measured with the database in
 * a process of its own). A request carries its correlation in its Reactor {@code Context} instead, and a line that
 * should name its request restores it here for that line alone. Reactor's {@code handle} operator restores it for
 * its handler too.
 */
public final class LogContext {

	private static final ContextSnapshotFactory SNAPSHOTS = ContextSnapshotFactory.builder().build();

	private LogContext() {
	}

	/** What {@code body} returns, called with the MDC of the request that {@code context} belongs to. */
	public static <T> T get(ContextView context, Supplier<T> body) {
		try (ContextSnapshot.Scope scope = SNAPSHOTS.setThreadLocalsFrom(context)) {
			return body.get();
		}
	}

	/**
	 * The publisher {@code body} returns, called with the subscriber's request MDC in place: for a step that logs
	 * and then decides what comes next (an error handler, a check). Only what {@code body} does before it returns
	 * runs with the MDC.
	 */
	public static <T> Mono<T> defer(Supplier<? extends Mono<T>> body) {
		return Mono.deferContextual(context -> get(context, body));
	}

	/** Completes after running {@code logging} with the subscriber's request MDC in place. */
	public static Mono<Void> log(Runnable logging) {
		return defer(() -> {
			logging.run();
			return Mono.empty();
		});
	}

	/**
	 * {@code source}, whose subscriber gets each signal with its request's MDC in place: what the steps after it do
	 * with the value at once (reading a gateway's answer, deciding on it, logging what is odd) names the request,
	 * until the next step that waits for something. For a boundary where a request comes back from another thread
	 * and its next steps may log, not for every step.
	 */
	public static <T> Mono<T> restoring(Mono<T> source) {
		return source.transform(Operators.<T, T>lift((scannable, subscriber) -> new Restoring<>(subscriber)));
	}

	/** Hands each signal on inside a scope; a plain subscription, so that nothing downstream fuses past it. */
	private static final class Restoring<T> implements CoreSubscriber<T>, Subscription {

		private final CoreSubscriber<? super T> actual;

		private Subscription upstream;

		Restoring(CoreSubscriber<? super T> actual) {
			this.actual = actual;
		}

		@Override
		public Context currentContext() {
			return this.actual.currentContext();
		}

		@Override
		public void onSubscribe(Subscription subscription) {
			this.upstream = subscription;
			this.actual.onSubscribe(this);
		}

		@Override
		public void onNext(T value) {
			try (ContextSnapshot.Scope scope = SNAPSHOTS.setThreadLocalsFrom(this.actual.currentContext())) {
				this.actual.onNext(value);
			}
		}

		@Override
		public void onError(Throwable error) {
			try (ContextSnapshot.Scope scope = SNAPSHOTS.setThreadLocalsFrom(this.actual.currentContext())) {
				this.actual.onError(error);
			}
		}

		@Override
		public void onComplete() {
			try (ContextSnapshot.Scope scope = SNAPSHOTS.setThreadLocalsFrom(this.actual.currentContext())) {
				this.actual.onComplete();
			}
		}

		@Override
		public void request(long n) {
			this.upstream.request(n);
		}

		@Override
		public void cancel() {
			this.upstream.cancel();
		}

	}

}
