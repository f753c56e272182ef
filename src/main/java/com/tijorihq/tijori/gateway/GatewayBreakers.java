package com.tijorihq.tijori.gateway;

import java.time.Duration;
import java.util.Optional;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.tijorihq.tijori.common.GatewayUnavailableException;

/** One circuit breaker per gateway, configured, measured and asked the same way by every adapter. */
public final class GatewayBreakers {

	private static final Logger log = LoggerFactory.getLogger(GatewayBreakers.class);

	private GatewayBreakers() {
	}

	/**
	 * A count-based breaker named after the gateway ({@code resilience4j_circuitbreaker_state{name=…}}) that counts
	 * only {@link GatewayCallFailure#isGatewayFault gateway faults}: a refusal of our own (saturation, an open
	 * breaker) or a business "no" never opens it.
	 */
	public static CircuitBreaker create(String gateway, BreakerProperties settings, MeterRegistry meters) {
		CircuitBreakerConfig config = CircuitBreakerConfig.custom()
			.slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
			.slidingWindowSize(settings.window())
			// outcomes are recorded on whichever event loop finished the call; the default window takes a lock,
			// and calls ending together (a reconciler sweep) would park event loops on it
			.slidingWindowSynchronizationStrategy(CircuitBreakerConfig.SlidingWindowSynchronizationStrategy.LOCK_FREE)
			.minimumNumberOfCalls(settings.minimumCalls())
			.failureRateThreshold(settings.failureRate())
			.waitDurationInOpenState(settings.openFor())
			.permittedNumberOfCallsInHalfOpenState(2)
			.recordException(GatewayCallFailure::isGatewayFault)
			.build();
		CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(config);
		TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
		CircuitBreaker breaker = registry.circuitBreaker(gateway);
		breaker.getEventPublisher()
			.onStateTransition(event -> log.info("{} circuit breaker: {}", gateway, event.getStateTransition()));
		return breaker;
	}

	/** The breaker's refusal of a new call right now, or empty; never takes a permit away from the real call. */
	static Optional<GatewayUnavailableException> refusal(CircuitBreaker breaker, Duration retryAfter) {
		if (breaker.getState() == CircuitBreaker.State.OPEN) {
			// asking is what moves an open breaker to half-open once its wait is over; hand the permit back, the
			// real call asks again
			if (!breaker.tryAcquirePermission()) {
				return Optional.of(new GatewayCallFailure(GatewayCallFailure.Kind.BREAKER_OPEN, retryAfter, null));
			}
			breaker.releasePermission();
		}
		return Optional.empty();
	}

}
