package com.tijorihq.tijori.payments;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.springframework.web.reactive.function.server.RouterFunctions.route;

/**
 * Posted by the gateway (through the buyer's browser, or server to server): no session and no CSRF token, since
 * the checksum is what authenticates them ({@code SecurityConfiguration} exempts {@code /api/payments/}).
 */
@Configuration(proxyBeanMethods = false)
class PaymentCallbackRoutes {

	@Bean
	RouterFunction<ServerResponse> paymentCallbackRouter(PaymentCallbackHandler handler) {
		return route().path("/api/payments", b -> b
			.POST("/{gateway}/callback", handler::callback)
			.POST("/{gateway}/webhook", handler::webhook))
			.build();
	}

}
