package com.tijorihq.tijori.gateway.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import com.tijorihq.tijori.common.TijoriException;

/**
 * The sandboxes' control endpoints ({@code _faults}, late authorisation, processing refunds) change what a
 * "payment" does, so only the operator may call them: they need the sandbox key ({@code TIJORI_SANDBOX_KEY_SECRET})
 * in {@code X-Sandbox-Key}. The buyer-facing pages and the gateway-shaped APIs keep their own authentication.
 */
public final class SandboxControls {

	public static final String HEADER = "X-Sandbox-Key";

	private SandboxControls() {
	}

	/** A route filter admitting only requests that carry the sandbox key. */
	public static HandlerFilterFunction<ServerResponse, ServerResponse> keyed(SandboxProperties properties) {
		byte[] expected = properties.keySecret().getBytes(StandardCharsets.UTF_8);
		return (request, next) -> {
			String given = request.headers().firstHeader(HEADER);
			if (given == null || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
				return Mono.error(new TijoriException(HttpStatus.UNAUTHORIZED, "sandbox_key_required",
						"The sandbox's control endpoints need the sandbox key in " + HEADER + "."));
			}
			return next.handle(request);
		};
	}

}
