package com.tijorihq.tijori.accounts;

import java.time.Duration;
import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.data.mongodb.core.ReactiveMongoOperations;
import org.springframework.http.ResponseCookie;
import org.springframework.session.config.annotation.web.server.EnableSpringWebSession;
import org.springframework.session.data.mongo.MongoSession;
import org.springframework.session.data.mongo.ReactiveMongoSessionRepository;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.server.session.CookieWebSessionIdResolver;
import org.springframework.web.server.session.WebSessionIdResolver;

import com.tijorihq.tijori.common.TijoriProperties;

/**
 * The {@code SESSION} cookie: 7 days, sliding, HttpOnly, SameSite=Lax, Secure on HTTPS or when
 * {@code TIJORI_COOKIE_SECURE=true}. Sessions themselves live in MongoDB with the same 7-day inactivity timeout:
 * Spring Session's reactive Mongo repository, configured here rather than by Boot so that it stores plain BSON
 * ({@link PlainSessionConverter}) and is written only when a session changed or its expiry is due a refresh
 * ({@link WriteOnChangeSessionRepository}).
 */
@Configuration(proxyBeanMethods = false)
@EnableSpringWebSession
class SessionConfiguration {

	static final String COOKIE_NAME = "SESSION";

	static final Duration MAX_AGE = Duration.ofDays(7);

	static final String COLLECTION = "sessions";

	@Bean
	WriteOnChangeSessionRepository<MongoSession> sessionRepository(ReactiveMongoOperations mongo,
			ApplicationEventPublisher events, SessionStoreProperties properties) {
		ReactiveMongoSessionRepository sessions = new ReactiveMongoSessionRepository(mongo);
		sessions.setCollectionName(COLLECTION);
		sessions.setDefaultMaxInactiveInterval(MAX_AGE);
		sessions.setMongoSessionConverter(new PlainSessionConverter());
		sessions.setApplicationEventPublisher(events);
		return new WriteOnChangeSessionRepository<>(sessions, properties.touchInterval());
	}

	@Bean
	WebSessionIdResolver webSessionIdResolver(TijoriProperties properties) {
		CookieWebSessionIdResolver resolver = new CookieWebSessionIdResolver();
		resolver.setCookieName(COOKIE_NAME);
		resolver.setCookieMaxAge(MAX_AGE);
		resolver.addCookieInitializer(cookie -> {
			cookie.httpOnly(true).sameSite("Lax").path("/");
			if (properties.cookieSecure()) {
				cookie.secure(true);
			}
		});
		return resolver;
	}

	/**
	 * Re-issues the cookie on every response of a live session so its 7 days slide with use; the session
	 * manager itself only sets it when the id changes.
	 */
	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE + 10)
	WebFilter slidingSessionCookie(WebSessionIdResolver resolver) {
		return (ServerWebExchange exchange, WebFilterChain chain) -> {
			if (!exchange.getRequest().getCookies().containsKey(COOKIE_NAME)) {
				return chain.filter(exchange);
			}
			exchange.getResponse().beforeCommit(() -> exchange.getSession().doOnNext(session -> {
				List<ResponseCookie> already = exchange.getResponse().getCookies().get(COOKIE_NAME);
				if (session.isStarted() && !session.isExpired() && (already == null || already.isEmpty())) {
					resolver.setSessionId(exchange, session.getId());
				}
			}).then(Mono.empty()));
			return chain.filter(exchange);
		};
	}

}
