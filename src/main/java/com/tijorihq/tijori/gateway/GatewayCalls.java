package com.tijorihq.tijori.gateway;

import java.time.Duration;
import java.util.Locale;
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

import com.tijorihq.tijori.common.TijoriException;
import com.tijorihq.tijori.gateway.GatewayCallFailure.Kind;

/**
 * The guard every {@code WebClient} adapter (Paytm, PayU) puts around one HTTP exchange: a Reactor timeout, the
 * mapping of "no answer" to {@link GatewayCallFailure} (503), optional retries, the gateway's circuit breaker and
 * the {@code tijori.gateway.calls} timer. No scheduler: WebClient never blocks the calling thread.
 */
public final class GatewayCalls {

	private static final Logger log = LoggerFactory.getLogger(GatewayCalls.class);

	private final String gateway;

	private final CircuitBreaker breaker;

	private final Duration callTimeout;

	private final Duration retryAfter;

	private final MeterRegistry meters;

	public GatewayCalls(String gateway, CircuitBreaker breaker, Duration callTimeout, Duration retryAfter,
			MeterRegistry meters) {
		this.gateway = gateway;
		this.breaker = breaker;
		this.callTimeout = callTimeout;
		this.retryAfter = retryAfter;
		this.meters = meters;
	}

	/**
	 * {@code exchange} (built lazily, once per attempt) under the call timeout, retried by {@code retry} when not
	 * null, inside the breaker, timed per operation and outcome. A {@link TijoriException} from the exchange (a
	 * refusal, a failure it classified itself) passes through as it is.
	 */
	public <T> Mono<T> guard(String operation, Mono<T> exchange, Retry retry) {
		Mono<T> attempt = Mono.defer(() -> exchange)
			.timeout(this.callTimeout)
			.onErrorMap(ex -> !(ex instanceof TijoriException), ex -> unavailable(operation, ex));
		return Mono.defer(() -> {
			Timer.Sample sample = Timer.start(this.meters);
			return ((retry != null) ? attempt.retryWhen(retry) : attempt)
				.transformDeferred(CircuitBreakerOperator.of(this.breaker))
				.onErrorMap(CallNotPermittedException.class, ex -> failure(Kind.BREAKER_OPEN, ex))
				.doOnEach(signal -> {
					if (signal.isOnComplete() || signal.isOnError()) {
						sample.stop(this.meters.timer("tijori.gateway.calls", "gateway", this.gateway, "operation",
								operation, "outcome", outcome(signal.getThrowable())));
					}
				});
		});
	}

	/** A WebClient of its own for one gateway: Reactor Netty with connect and response timeouts. */
	public static WebClient webClient(WebClient.Builder builder, Duration connectTimeout, Duration responseTimeout) {
		HttpClient http = HttpClient.create()
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
			.responseTimeout(responseTimeout);
		return builder.clone().clientConnector(new ReactorClientHttpConnector(http)).build();
	}

	/** A 503 of this kind, with this gateway's {@code Retry-After}. */
	public GatewayCallFailure failure(Kind kind, Throwable cause) {
		return new GatewayCallFailure(kind, this.retryAfter, cause);
	}

	/** Two more tries with jittered backoff, for reads only, on failures of these kinds. */
	public static Retry readRetry(Kind... retryOn) {
		return Retry.backoff(2, Duration.ofMillis(100))
			.jitter(0.5)
			.filter(ex -> GatewayCallFailure.is(ex, retryOn))
			.onRetryExhaustedThrow((spec, signal) -> signal.failure());
	}

	/** The {@code outcome} tag of a finished call. */
	public static String outcome(Throwable ex) {
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
