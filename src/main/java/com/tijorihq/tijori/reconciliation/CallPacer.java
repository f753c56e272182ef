package com.tijorihq.tijori.reconciliation;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * Spaces the report's gateway calls to {@code callsPerSecond} per gateway, shared by every report running at once.
 * Each call reserves the next free slot and waits for it on a timer, never on a thread.
 */
@Component
class CallPacer {

	private final long intervalNanos;

	private final Map<String, AtomicLong> nextFree = new ConcurrentHashMap<>();

	CallPacer(ReconciliationProperties properties) {
		this.intervalNanos = 1_000_000_000L / properties.callsPerSecond();
	}

	<T> Mono<T> paced(String gateway, Mono<T> call) {
		return Mono.defer(() -> {
			long wait = reserve(gateway);
			return (wait <= 0) ? call : Mono.delay(Duration.ofNanos(wait)).then(call);
		});
	}

	/** Nanoseconds until this call's slot. */
	private long reserve(String gateway) {
		AtomicLong slot = this.nextFree.computeIfAbsent(gateway, name -> new AtomicLong(System.nanoTime()));
		while (true) {
			long now = System.nanoTime();
			long free = slot.get();
			long start = Math.max(free, now);
			if (slot.compareAndSet(free, start + this.intervalNanos)) {
				return start - now;
			}
		}
	}

}
