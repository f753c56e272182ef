package com.tijorihq.tijori.gateway.sandbox;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import com.tijorihq.tijori.common.RequestBodies;

/**
 * Faults of one gateway sandbox's server-to-server API (Paytm's, PayU's), changeable at run time with
 * {@code GET|PUT|DELETE /sandbox/<gateway>/_faults}: added latency (the whole response time), a share of answers
 * that are HTTP 503, or no answer at all. The browser pages are never faulted. Starts with none.
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

	/** The {@code _faults} resource. */
	public record Faults(long latencyMs, double errorRate, boolean hang) {

		static final Faults NONE = new Faults(0, 0, false);

	}

	/** {@code PUT _faults}: only the fields sent change. */
	public record ApiFaultsUpdateRequest(@Min(0) @Max(600_000) Long latencyMs,
			@DecimalMin("0") @DecimalMax("1") Double errorRate, Boolean hang) {
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

	public Mono<ServerResponse> get(ServerRequest request) {
		return ServerResponse.ok().bodyValue(this.current);
	}

	public Mono<ServerResponse> update(ServerRequest request) {
		return this.bodies.read(request, ApiFaultsUpdateRequest.class).flatMap(update -> {
			Faults was = this.current;
			this.current = new Faults((update.latencyMs() != null) ? update.latencyMs() : was.latencyMs(),
					(update.errorRate() != null) ? update.errorRate() : was.errorRate(),
					(update.hang() != null) ? update.hang() : was.hang());
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
