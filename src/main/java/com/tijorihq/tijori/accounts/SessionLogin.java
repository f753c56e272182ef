package com.tijorihq.tijori.accounts;

import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.server.context.ServerSecurityContextRepository;
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;
import org.springframework.web.server.session.WebSessionIdResolver;

/** Binds a user to the session (with a fresh session id, against fixation) and ends sessions. */
@Component
class SessionLogin {

	private final ServerSecurityContextRepository contexts = new WebSessionServerSecurityContextRepository();

	private final WebSessionIdResolver sessionIdResolver;

	SessionLogin(WebSessionIdResolver sessionIdResolver) {
		this.sessionIdResolver = sessionIdResolver;
	}

	Mono<TijoriUser> logIn(ServerWebExchange exchange, TijoriUser user) {
		List<SimpleGrantedAuthority> authorities = user.roles()
			.stream()
			.map(role -> new SimpleGrantedAuthority("ROLE_" + role))
			.toList();
		var authentication = UsernamePasswordAuthenticationToken.authenticated(user, null, authorities);
		return exchange.getSession()
			.flatMap(WebSession::changeSessionId)
			.then(this.contexts.save(exchange, new SecurityContextImpl(authentication)))
			.thenReturn(user);
	}

	/** Deletes the session document and tells the browser to drop the cookie. */
	Mono<Void> logOut(ServerWebExchange exchange) {
		return exchange.getSession()
			.flatMap(WebSession::invalidate)
			.then(Mono.fromRunnable(() -> this.sessionIdResolver.expireSession(exchange)));
	}

}
