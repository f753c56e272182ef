package com.tijorihq.tijori.common;

import reactor.core.publisher.Mono;

import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Keeps each port to its role: the management port ({@code MANAGEMENT_SERVER_PORT}) serves only the actuator, the
 * public port never does. Boot's reactive management server dispatches to the application's handler mappings as
 * well, so without this the whole API and storefront would answer on the management port, and a main port that
 * someone configured to share it would serve {@code /actuator/**} to the Internet.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class ManagementPortIsolation implements WebFilter {

	private static final String MANAGEMENT_NAMESPACE = "management";

	private final Problems problems;

	private final String actuatorPath;

	ManagementPortIsolation(Problems problems, Environment environment) {
		this.problems = problems;
		this.actuatorPath = environment.getProperty("management.endpoints.web.base-path", "/actuator");
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String path = exchange.getRequest().getPath().pathWithinApplication().value();
		boolean actuator = path.equals(this.actuatorPath) || path.startsWith(this.actuatorPath + "/");
		if (actuator == onManagementPort(exchange)) {
			return chain.filter(exchange);
		}
		return this.problems.write(exchange, HttpStatus.NOT_FOUND, "not_found", "No such resource on this port.");
	}

	private static boolean onManagementPort(ServerWebExchange exchange) {
		return exchange.getApplicationContext() instanceof WebServerApplicationContext context
				&& MANAGEMENT_NAMESPACE.equals(context.getServerNamespace());
	}

}
