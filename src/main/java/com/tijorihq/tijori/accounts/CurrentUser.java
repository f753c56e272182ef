package com.tijorihq.tijori.accounts;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.reactive.function.server.ServerRequest;

import com.tijorihq.tijori.common.TijoriException;

/** How handlers of every feature get the signed-in user. */
public final class CurrentUser {

	private CurrentUser() {
	}

	/** The user, or a 401 problem when the request carries no valid session. */
	public static Mono<TijoriUser> require(ServerRequest request) {
		return request.principal()
			.filter(Authentication.class::isInstance)
			.map(Authentication.class::cast)
			.filter(auth -> auth.getPrincipal() instanceof TijoriUser)
			.map(auth -> (TijoriUser) auth.getPrincipal())
			.switchIfEmpty(Mono.error(() -> new TijoriException(HttpStatus.UNAUTHORIZED, "unauthenticated",
					"Log in first.")));
	}

}
