package com.tijorihq.tijori.webhooks;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.springframework.web.reactive.function.server.RouterFunctions.route;

@Configuration(proxyBeanMethods = false)
class WebhookRoutes {

	@Bean
	RouterFunction<ServerResponse> webhookRouter(WebhookHandler handler) {
		return route().path("/api/webhooks", b -> b.POST("/razorpay", handler::razorpay)).build();
	}

}
