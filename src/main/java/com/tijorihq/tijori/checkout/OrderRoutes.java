package com.tijorihq.tijori.checkout;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.springframework.web.reactive.function.server.RouterFunctions.route;

@Configuration(proxyBeanMethods = false)
class OrderRoutes {

	@Bean
	RouterFunction<ServerResponse> orderRouter(OrderHandler handler) {
		return route().path("/api/orders", b -> b
			.POST("", handler::create)
			.GET("", handler::list)
			.GET("/{id}", handler::get)
			.POST("/{id}/checkout", handler::checkout)
			.POST("/{id}/verify", handler::verify)
			.POST("/{id}/refunds", handler::refund))
			.build();
	}

}
