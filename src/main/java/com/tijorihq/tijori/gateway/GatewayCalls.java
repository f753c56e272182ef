package com.tijorihq.tijori.gateway;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.channel.ChannelOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.util.retry.Retry;

import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;

import com.tijorihq.tijori.common.GatewayUnavailableException;
import com.tijorihq.tijori.common.LogContext;
import com.tijorihq.tijori.common.TijoriException;
import com.tijorihq.tijori.gateway.GatewayCallFailure.Kind;

/**
 * The one guard every adapter puts around every gateway call: a Reactor timeout, the mapping of "no answer" to
 * {@link GatewayCallFailure} (503), retries of reads (and of writes that carry an idempotency key the gateway
 * honours), the gateway's circuit breaker and the {@code tijori.gateway.calls{gateway,operation,outcome}} timer.
 * <p>
 * The guard has no scheduler of its own: a WebClient exchange never blocks, and an adapter over a blocking SDK hops
 * to its bounded scheduler inside the exchange ({@code subscribeOn}), where a timeout's cancel reaches it too.
 */
public final class GatewayCalls {

	private static final Logger log = LoggerFactory.getLogger(GatewayCalls.class);

	/** What a call does at the gateway, which decides whether a failed try may be repeated. */
	public enum Effect {

		/** Changes nothing: retried on the adapter's retryable failures. */
		READ,

		/** Not idempotent at the gateway (create an order, capture): never repeated blindly. */
		WRITE,

		/** A write the gateway recognises by its idempotency key, so repeating it is safe: retried like a read. */
		KEYED_WRITE

	}

	private final String gateway;

	private final CircuitBreaker breaker;

	private final Duration callTimeout;

	private final Duration retryAfter;

	private final Duration openRetryAfter;

	private final Retry retry;

	private final MeterRegistry meters;

	/**
	 * @param gateway the {@code gateway} tag and the breaker's name in logs
	 * @param callTimeout one try as the caller sees it
	 * @param retryAfter what a 503 tells clients to wait
	 * @param openRetryAfter what a 503 of an open breaker tells clients to wait
	 * @param retry how reads and keyed writes are retried (see {@link #retry(int, Duration, Kind...)})
	 */
	public GatewayCalls(String gateway, CircuitBreaker breaker, Duration callTimeout, Duration retryAfter,
			Duration openRetryAfter, Retry retry, MeterRegistry meters) {
		this.gateway = gateway;
		this.breaker = breaker;
		this.callTimeout = callTimeout;
		this.retryAfter = retryAfter;
		this.openRetryAfter = openRetryAfter;
		this.retry = retry;
		this.meters = meters;
	}

	/**
	 * {@code exchange} (subscribed afresh for each try, so it must be lazy) under the call timeout, retried when
	 * its {@code effect} allows, inside the breaker, timed per operation and outcome. A {@link TijoriException}
	 * from the exchange (a refusal, a failure it classified itself) passes through as it is; a timeout cancels the
	 * exchange.
	 */
	public <T> Mono<T> guard(String operation, Effect effect, Mono<T> exchange) {
		Mono<T> attempt = Mono.defer(() -> exchange)
			.timeout(this.callTimeout)
			.onErrorResume(ex -> !(ex instanceof TijoriException),
					ex -> LogContext.defer(() -> Mono.error(unavailable(operation, ex))));
		Mono<T> tries = (effect == Effect.WRITE) ? attempt : attempt.retryWhen(this.retry);
		// what the adapter and its caller then do with the answer (reading it, logging a refusal) names the request
		return LogContext.restoring(Mono.defer(() -> {
			Timer.Sample sample = Timer.start(this.meters);
			return tries.transformDeferred(CircuitBreakerOperator.of(this.breaker))
				.onErrorMap(CallNotPermittedException.class,
						ex -> new GatewayCallFailure(Kind.BREAKER_OPEN, this.openRetryAfter, ex))
				.doOnEach(signal -> {
					if (signal.isOnComplete() || signal.isOnError()) {
						sample.stop(this.meters.timer("tijori.gateway.calls", "gateway", this.gateway, "operation",
								operation, "outcome", outcome(signal.getThrowable())));
					}
				});
		}));
	}

	/** The open breaker's refusal of a new call right now, or empty (see {@link PaymentGateway#refusal()}). */
	public Optional<GatewayUnavailableException> refusal() {
		return GatewayBreakers.refusal(this.breaker, this.openRetryAfter);
	}

	/**
	 * What the breaker says of the gateway: open is {@link HealthStatus#DOWN}; half-open, or closed with failures in
	 * its window, {@link HealthStatus#DEGRADED}; otherwise {@link HealthStatus#UP}.
	 */
	public HealthStatus health() {
		return switch (this.breaker.getState()) {
			case OPEN, FORCED_OPEN -> HealthStatus.DOWN;
			case HALF_OPEN -> HealthStatus.DEGRADED;
			default -> (this.breaker.getMetrics().getNumberOfFailedCalls() > 0) ? HealthStatus.DEGRADED
					: HealthStatus.UP;
		};
	}

	/** The breaker's state, for tests and diagnostics. */
	public CircuitBreaker.State breakerState() {
		return this.breaker.getState();
	}

	/** A 503 of this kind, with this gateway's {@code Retry-After}. */
	public GatewayCallFailure failure(Kind kind, Throwable cause) {
		return new GatewayCallFailure(kind, this.retryAfter, cause);
	}

	/** A WebClient of its own for one gateway: Reactor Netty with connect and response timeouts. */
	public static WebClient webClient(WebClient.Builder builder, Duration connectTimeout, Duration responseTimeout) {
		HttpClient http = HttpClient.create()
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
			.responseTimeout(responseTimeout);
		return builder.clone().clientConnector(new ReactorClientHttpConnector(http)).build();
	}

	/** {@code retries} more tries with jittered, doubling backoff from {@code backoff}, on failures of these kinds. */
	public static Retry retry(int retries, Duration backoff, Kind... retryOn) {
		return Retry.backoff(retries, backoff)
			.jitter(0.5)
			.filter(ex -> GatewayCallFailure.is(ex, retryOn))
			.onRetryExhaustedThrow((spec, signal) -> signal.failure());
	}

	/** The {@code outcome} tag of a finished call. */
	private static String outcome(Throwable ex) {
		if (ex == null) {
			return "success";
		}
		if (ex instanceof GatewayCallFailure failure) {
			return failure.kind().name().toLowerCase(Locale.ROOT);
		}
		return (ex instanceof GatewayRejectedException) ? "rejected" : "error";
	}

	private GatewayCallFailure unavailable(String operation, Throwable ex) {
		if (ex instanceof TimeoutException) {
			log.info("{} {} timed out after {}", this.gateway, operation, this.callTimeout);
			return failure(Kind.TIMEOUT, ex);
		}
		if (ex instanceof WebClientRequestException) {
			log.info("{} {}: no answer: {}", this.gateway, operation, ex.getMessage());
			return failure(Kind.TRANSIENT, ex);
		}
		log.warn("{} {} failed unexpectedly", this.gateway, operation, ex);
		return failure(Kind.PROTOCOL, ex);
	}

}
