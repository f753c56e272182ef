package com.tijorihq.tijori.accounts;

import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.server.context.ServerSecurityContextRepository;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * Keeps the signed-in user in the session as four plain attributes (id, email, name, roles) and rebuilds the
 * {@code Authentication} from them on each request, instead of storing a serialised {@code SecurityContext}: the
 * session document stays small and reading it needs no deserialisation.
 */
@Component
class SessionSecurityContexts implements ServerSecurityContextRepository {

	static final String USER_ID = "userId";

	static final String USER_EMAIL = "userEmail";

	static final String USER_NAME = "userName";

	static final String USER_ROLES = "userRoles";

	@Override
	public Mono<Void> save(ServerWebExchange exchange, SecurityContext context) {
		return exchange.getSession().doOnNext(session -> {
			Map<String, Object> attributes = session.getAttributes();
			TijoriUser user = (context != null && context.getAuthentication() != null
					&& context.getAuthentication().getPrincipal() instanceof TijoriUser signedIn) ? signedIn : null;
			if (user == null) {
				List.of(USER_ID, USER_EMAIL, USER_NAME, USER_ROLES).forEach(attributes::remove);
				return;
			}
			attributes.put(USER_ID, user.id());
			attributes.put(USER_EMAIL, user.email());
			attributes.put(USER_NAME, user.name());
			attributes.put(USER_ROLES, List.copyOf(user.roles()));
		}).then();
	}

	@Override
	public Mono<SecurityContext> load(ServerWebExchange exchange) {
		return exchange.getSession()
			.flatMap(session -> Mono.justOrEmpty(user(session.getAttributes())))
			.map(SessionSecurityContexts::context);
	}

	static SecurityContext context(TijoriUser user) {
		List<SimpleGrantedAuthority> authorities = user.roles()
			.stream()
			.map(role -> new SimpleGrantedAuthority("ROLE_" + role))
			.toList();
		return new SecurityContextImpl(UsernamePasswordAuthenticationToken.authenticated(user, null, authorities));
	}

	private static TijoriUser user(Map<String, Object> attributes) {
		if (attributes.get(USER_ID) instanceof String id && attributes.get(USER_EMAIL) instanceof String email
				&& attributes.get(USER_ROLES) instanceof List<?> roles) {
			String name = (attributes.get(USER_NAME) instanceof String given) ? given : null;
			return new TijoriUser(id, email, name, roles.stream().map(String::valueOf).toList());
		}
		return null;
	}

}
