package com.tijorihq.tijori.accounts;

import java.util.Set;

import reactor.core.publisher.Mono;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.csrf.CookieServerCsrfTokenRepository;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.security.web.server.csrf.ServerCsrfTokenRequestAttributeHandler;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher.MatchResult;
import org.springframework.web.server.WebFilter;

import com.tijorihq.tijori.common.Problems;

/**
 * Who may call what, and CSRF as a double-submit cookie: an unsafe request that carries a session must echo the
 * {@code XSRF-TOKEN} cookie in {@code X-XSRF-TOKEN}. Webhooks, gateway callbacks and the sandbox's REST API are
 * exempt because they authenticate by signature or Basic auth, not by cookie.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
			HttpMethod.TRACE);

	private static final String[] CSRF_EXEMPT = { "/api/webhooks/", "/api/payments/", "/sandbox/" };

	@Bean
	SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http, Problems problems,
			SessionSecurityContexts contexts) {
		CookieServerCsrfTokenRepository csrfTokens = CookieServerCsrfTokenRepository.withHttpOnlyFalse();
		csrfTokens.setCookieCustomizer(cookie -> cookie.sameSite("Lax").path("/"));
		return http.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.logout(ServerHttpSecurity.LogoutSpec::disable)
			.requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
			.securityContextRepository(contexts)
			.csrf(csrf -> csrf.csrfTokenRepository(csrfTokens)
				.csrfTokenRequestHandler(new ServerCsrfTokenRequestAttributeHandler())
				.requireCsrfProtectionMatcher(SecurityConfiguration::needsCsrf)
				.accessDeniedHandler((exchange, denied) -> problems.write(exchange, HttpStatus.FORBIDDEN,
						"csrf_token_invalid",
						"Send the XSRF-TOKEN cookie's value in the X-XSRF-TOKEN header (GET /api/auth/csrf sets it).")))
			.exceptionHandling(handling -> handling
				.authenticationEntryPoint((exchange, ex) -> problems.write(exchange, HttpStatus.UNAUTHORIZED,
						"unauthenticated", "Log in first."))
				.accessDeniedHandler((exchange, denied) -> problems.write(exchange, HttpStatus.FORBIDDEN, "forbidden",
						"Your account may not do this.")))
			.authorizeExchange(auth -> auth.pathMatchers("/api/auth/me")
				.authenticated()
				.pathMatchers(HttpMethod.GET, "/api/products", "/api/products/**")
				.permitAll()
				.pathMatchers("/api/products", "/api/products/**")
				.hasRole(TijoriUser.ADMIN)
				.pathMatchers("/api/orders", "/api/orders/**")
				.authenticated()
				.anyExchange()
				.permitAll())
			.build();
	}

	private static Mono<MatchResult> needsCsrf(org.springframework.web.server.ServerWebExchange exchange) {
		var request = exchange.getRequest();
		String path = request.getPath().pathWithinApplication().value();
		boolean exempt = SAFE.contains(request.getMethod())
				|| java.util.Arrays.stream(CSRF_EXEMPT).anyMatch(path::startsWith)
				|| !request.getCookies().containsKey(SessionConfiguration.COOKIE_NAME);
		return exempt ? MatchResult.notMatch() : MatchResult.match();
	}

	/** Requests the firewall refuses (encoded slashes or percent signs, odd methods) get a problem body too. */
	@Bean
	ServerExchangeRejectedHandler problemRejectedHandler(Problems problems) {
		return (exchange, rejected) -> problems.write(exchange, HttpStatus.BAD_REQUEST, "rejected_request",
				"The request URL or method is not allowed.");
	}

	/**
	 * Spring Security creates CSRF tokens lazily; subscribing here makes every response carry the
	 * {@code XSRF-TOKEN} cookie when the browser does not have one yet. Not the probes' nor a status stream's:
	 * neither is read by a page that sends requests, and a new token is made on another thread (a random UUID),
	 * which every cookieless probe and every stream opened without the cookie paid for.
	 */
	@Bean
	WebFilter csrfCookieFilter() {
		return (exchange, chain) -> {
			if (withoutCsrfCookie(exchange.getRequest().getPath().value())) {
				return chain.filter(exchange);
			}
			Mono<CsrfToken> token = exchange.getAttributeOrDefault(CsrfToken.class.getName(), Mono.empty());
			return token.then(chain.filter(exchange));
		};
	}

	private static boolean withoutCsrfCookie(String path) {
		return path.equals("/livez") || path.equals("/readyz") || (path.startsWith("/api/orders/")
				&& path.endsWith("/events"));
	}


}
