package com.tijorihq.tijori.checkout;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

import com.tijorihq.tijori.common.GatewayUnavailableException;
import com.tijorihq.tijori.gateway.GatewayRejectedException;
import com.tijorihq.tijori.gateway.PaymentGateway;
import com.tijorihq.tijori.gateway.PaymentGateways;

/**
 * What checkout measures per gateway: every try at a gateway order ({@code tijori.checkout.attempts{gateway,
 * outcome}}, outcome {@code created}, {@code unavailable} or {@code rejected}), every failover of an {@code auto}
 * order ({@code tijori.checkout.failovers{from,to}}) and each gateway's success rate over its last
 * {@value #WINDOW} tries ({@code tijori.checkout.attempt.success.rate{gateway}}, 0 to 1; 1 before any try).
 */
@Component
class AttemptMeters {

	static final int WINDOW = 100;

	private final MeterRegistry meters;

	private final Map<String, Window> windows = new ConcurrentHashMap<>();

	AttemptMeters(MeterRegistry meters, PaymentGateways gateways) {
		this.meters = meters;
		for (PaymentGateway gateway : gateways.enabled()) {
			Window window = new Window();
			this.windows.put(gateway.name(), window);
			Gauge.builder("tijori.checkout.attempt.success.rate", window, Window::rate)
				.description("Share of the last " + WINDOW + " tries at a gateway order that created one")
				.tag("gateway", gateway.name())
				.register(meters);
		}
	}

	void created(String gateway) {
		count(gateway, "created", true);
	}

	/** A try that failed: unavailable (no answer, refused, breaker open) or rejected by the gateway. */
	void failed(String gateway, Throwable ex) {
		if (ex instanceof GatewayUnavailableException) {
			count(gateway, "unavailable", false);
		}
		else if (ex instanceof GatewayRejectedException) {
			count(gateway, "rejected", false);
		}
	}

	void failover(String from, String to) {
		this.meters.counter("tijori.checkout.failovers", "from", from, "to", to).increment();
	}

	private void count(String gateway, String outcome, boolean success) {
		this.meters.counter("tijori.checkout.attempts", "gateway", gateway, "outcome", outcome).increment();
		Window window = this.windows.get(gateway);
		if (window != null) {
			window.add(success);
		}
	}

	/** The last {@value #WINDOW} outcomes, lock-free (outcomes arrive on whichever event loop ended the call). */
	private static final class Window {

		private final AtomicLongArray slots = new AtomicLongArray(WINDOW);

		private final AtomicInteger next = new AtomicInteger();

		void add(boolean success) {
			int slot = Math.floorMod(this.next.getAndIncrement(), WINDOW);
			this.slots.set(slot, success ? 1 : 2);
		}

		double rate() {
			int seen = 0;
			int succeeded = 0;
			for (int i = 0; i < WINDOW; i++) {
				long slot = this.slots.get(i);
				if (slot != 0) {
					seen++;
					succeeded += (slot == 1) ? 1 : 0;
				}
			}
			return (seen == 0) ? 1.0 : (double) succeeded / seen;
		}

	}

}
