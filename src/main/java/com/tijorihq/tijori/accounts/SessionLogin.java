package com.tijorihq.tijori.accounts;

import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;
import org.springframework.web.server.session.WebSessionIdResolver;

/** Binds a user to the session (with a fresh session id, against fixation) and ends sessions. */
@Component
class SessionLogin {

	private final SessionSecurityContexts contexts;

	private final WebSessionIdResolver sessionIdResolver;

	SessionLogin(SessionSecurityContexts contexts, WebSessionIdResolver sessionIdResolver) {
		this.contexts = contexts;
		this.sessionIdResolver = sessionIdResolver;
	}

	/**
	 * The user goes into the session first and the id changes last: changing the id saves the session, so login
	 * writes it once (under its new id) instead of once per step.
	 */
	Mono<TijoriUser> logIn(ServerWebExchange exchange, TijoriUser user) {
		return this.contexts.save(exchange, SessionSecurityContexts.context(user))
			.then(exchange.getSession())
			.flatMap(WebSession::changeSessionId)
			.thenReturn(user);
	}

	/** Deletes the session document and tells the browser to drop the cookie. */
	Mono<Void> logOut(ServerWebExchange exchange) {
		return exchange.getSession()
			.flatMap(WebSession::invalidate)
			.then(Mono.fromRunnable(() -> this.sessionIdResolver.expireSession(exchange)));
	}

}
