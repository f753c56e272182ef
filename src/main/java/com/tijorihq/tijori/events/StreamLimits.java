package com.tijorihq.tijori.events;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import com.tijorihq.tijori.common.TijoriException;

/**
 * How many status streams this instance holds, in all and per session. A page that leaks streams (a reconnect
 * loop, a script) runs into its session's cap (429) long before it can use up the instance; the instance's cap
 * (503 with {@code Retry-After}) keeps its memory bounded and sends clients to another replica. Both are counted on
 * this instance only: behind a load balancer a session's streams may be spread over several.
 */
@Component
class StreamLimits {

	private final int perSession;

	private final int perInstance;

	private final Duration retryAfter;

	private final AtomicInteger total = new AtomicInteger();

	private final ConcurrentHashMap<String, AtomicInteger> bySession = new ConcurrentHashMap<>();

	private final Counter refusedSession;

	private final Counter refusedInstance;

	StreamLimits(EventsProperties properties, MeterRegistry meters) {
		this.perSession = properties.maxStreamsPerSession();
		this.perInstance = properties.maxStreams();
		this.retryAfter = properties.retry();
		this.refusedSession = refused(meters, "session");
		this.refusedInstance = refused(meters, "instance");
	}

	private static Counter refused(MeterRegistry meters, String cap) {
		return Counter.builder("tijori.sse.streams.refused")
			.description("Status streams refused because a cap was reached")
			.tag("cap", cap)
			.register(meters);
	}

	/**
	 * A place for one more stream of {@code sessionId}, to be released when the stream ends.
	 * @throws TijoriException 429 when the session has its maximum open, 503 when the instance has
	 */
	Permit acquire(String sessionId) {
		if (this.total.incrementAndGet() > this.perInstance) {
			this.total.decrementAndGet();
			this.refusedInstance.increment();
			throw new TijoriException(HttpStatus.SERVICE_UNAVAILABLE, "too_many_streams",
					"This instance follows as many status streams as it may; try again shortly.",
					List.of(), this.retryAfter);
		}
		AtomicInteger mine = this.bySession.compute(sessionId, (id, count) -> {
			AtomicInteger counter = (count != null) ? count : new AtomicInteger();
			counter.incrementAndGet();
			return counter;
		});
		if (mine.get() > this.perSession) {
			Permit refused = new Permit(sessionId);
			refused.release();
			this.refusedSession.increment();
			throw new TijoriException(HttpStatus.TOO_MANY_REQUESTS, "too_many_streams",
					"This session already has " + this.perSession + " status streams open; close one first.");
		}
		return new Permit(sessionId);
	}

	int open() {
		return this.total.get();
	}

	/** One stream's place; releasing it more than once is harmless. */
	final class Permit {

		private final String sessionId;

		private final AtomicBoolean released = new AtomicBoolean();

		private Permit(String sessionId) {
			this.sessionId = sessionId;
		}

		void release() {
			if (this.released.compareAndSet(false, true)) {
				StreamLimits.this.total.decrementAndGet();
				StreamLimits.this.bySession.computeIfPresent(this.sessionId,
						(id, count) -> (count.decrementAndGet() <= 0) ? null : count);
			}
		}

	}

}
