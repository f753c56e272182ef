package com.tijorihq.tijori.webhooks;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.springframework.web.reactive.function.server.RouterFunctions.route;

/**
 * Posted by the gateways, server to server: no session and no CSRF token, since the signature is what
 * authenticates them ({@code SecurityConfiguration} exempts both prefixes). {@code /api/payments/{gateway}/webhook}
 * is where Paytm and PayU were first told to send their notifications; it is the same intake.
 */
@Configuration(proxyBeanMethods = false)
class WebhookRoutes {

	@Bean
	RouterFunction<ServerResponse> webhookRouter(WebhookHandler handler) {
		return route().path("/api/webhooks", b -> b.POST("/{gateway}", handler::receive))
			.POST("/api/payments/{gateway}/webhook", handler::receive)
			.build();
	}

}
