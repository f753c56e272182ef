package com.tijorihq.tijori.payments;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.springframework.web.reactive.function.server.RouterFunctions.route;

/**
 * Posted by the gateway through the buyer's browser: no session and no CSRF token, since the checksum is what
 * authenticates it ({@code SecurityConfiguration} exempts {@code /api/payments/}). The gateways' server-to-server
 * notifications go to the webhooks intake.
 */
@Configuration(proxyBeanMethods = false)
class PaymentCallbackRoutes {

	@Bean
	RouterFunction<ServerResponse> paymentCallbackRouter(PaymentCallbackHandler handler) {
		return route().path("/api/payments", b -> b.POST("/{gateway}/callback", handler::callback)).build();
	}

}
