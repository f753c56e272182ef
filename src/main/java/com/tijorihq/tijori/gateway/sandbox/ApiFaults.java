package com.tijorihq.tijori.gateway.sandbox;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import com.tijorihq.tijori.common.RequestBodies;

/**
 * Faults of one gateway sandbox's server-to-server API (Paytm's, PayU's), changeable at run time with
 * {@code GET|PUT|DELETE /sandbox/<gateway>/_faults}: added latency (the whole response time), a share of answers
 * that are HTTP 503, no answer at all, or refunds whose answers are lost. The browser pages are never faulted. Starts with none.
 */
public final class ApiFaults {

	private static final Logger log = LoggerFactory.getLogger(ApiFaults.class);

	private final String gateway;

	private final RequestBodies bodies;

	private volatile Faults current = Faults.NONE;

	public ApiFaults(String gateway, RequestBodies bodies) {
		this.gateway = gateway;
		this.bodies = bodies;
	}

	/**
	 * The {@code _faults} resource.
	 *
	 * @param loseRefundAnswers refunds are made (recorded and, where the sandbox processes them at once,
	 *        processed) and then answered with HTTP 504, as if the connection broke on the way back
	 */
	public record Faults(long latencyMs, double errorRate, boolean hang, boolean loseRefundAnswers) {

		static final Faults NONE = new Faults(0, 0, false, false);

	}

	/** {@code PUT _faults}: only the fields sent change. */
	public record ApiFaultsUpdateRequest(@Min(0) @Max(600_000) Long latencyMs,
			@DecimalMin("0") @DecimalMax("1") Double errorRate, Boolean hang, Boolean loseRefundAnswers) {
	}

	/** A route filter for the API's routes. */
	public Mono<ServerResponse> filter(ServerRequest request, HandlerFunction<ServerResponse> next) {
		Faults faults = this.current;
		if (faults.hang()) {
			return Mono.never();
		}
		Mono<ServerResponse> answer = Mono.defer(() -> (ThreadLocalRandom.current().nextDouble() < faults.errorRate())
				? ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE).contentType(MediaType.TEXT_PLAIN)
					.bodyValue("injected fault")
				: next.handle(request));
		if (faults.latencyMs() <= 0) {
			return answer;
		}
		Mono<ServerResponse> work = answer.cache();
		return Mono.when(work, Mono.delay(Duration.ofMillis(faults.latencyMs()))).then(work);
	}

	/**
	 * A route filter for the refund routes, inside {@link #filter}: with {@code loseRefundAnswers} on, the
	 * refund is made and its answer replaced by a 504. {@code isRefund} tells a refund request on a route shared
	 * with other commands (PayU's {@code postservice}).
	 */
	public HandlerFilterFunction<ServerResponse, ServerResponse> refundAnswers(
			Function<ServerRequest, Mono<Boolean>> isRefund) {
		return (request, next) -> {
			if (!this.current.loseRefundAnswers()) {
				return next.handle(request);
			}
			return isRefund.apply(request)
				.flatMap(refund -> refund ? next.handle(request).flatMap(answer -> lostAnswer())
						: next.handle(request));
		};
	}

	private Mono<ServerResponse> lostAnswer() {
		log.info("{} sandbox: refund made, its answer lost on purpose", this.gateway);
		return ServerResponse.status(HttpStatus.GATEWAY_TIMEOUT).contentType(MediaType.TEXT_PLAIN)
			.bodyValue("injected fault: refund answer lost");
	}

	/** {@code GET|PUT|DELETE _faults}, for the operator only ({@link SandboxControls}). */
	public RouterFunction<ServerResponse> routes(SandboxProperties controls) {
		return RouterFunctions.route()
			.GET("/_faults", this::get)
			.PUT("/_faults", this::update)
			.DELETE("/_faults", this::reset)
			.filter(SandboxControls.keyed(controls))
			.build();
	}

	public Mono<ServerResponse> get(ServerRequest request) {
		return ServerResponse.ok().bodyValue(this.current);
	}

	public Mono<ServerResponse> update(ServerRequest request) {
		return this.bodies.read(request, ApiFaultsUpdateRequest.class).flatMap(update -> {
			Faults was = this.current;
			this.current = new Faults((update.latencyMs() != null) ? update.latencyMs() : was.latencyMs(),
					(update.errorRate() != null) ? update.errorRate() : was.errorRate(),
					(update.hang() != null) ? update.hang() : was.hang(),
					(update.loseRefundAnswers() != null) ? update.loseRefundAnswers() : was.loseRefundAnswers());
			log.info("{} sandbox faults now {}", this.gateway, this.current);
			return ServerResponse.ok().bodyValue(this.current);
		});
	}

	public Mono<ServerResponse> reset(ServerRequest request) {
		this.current = Faults.NONE;
		log.info("{} sandbox faults reset", this.gateway);
		return ServerResponse.ok().bodyValue(this.current);
	}

}
