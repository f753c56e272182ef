package com.tijorihq.tijori.catalog;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.springframework.web.reactive.function.server.RouterFunctions.route;

/** Reads are public; {@code SecurityConfiguration} lets only admins reach the writes. */
@Configuration(proxyBeanMethods = false)
class ProductRoutes {

	@Bean
	RouterFunction<ServerResponse> productRouter(ProductHandler handler) {
		return route().path("/api/products", b -> b
			.GET("", handler::list)
			.POST("", handler::create)
			.GET("/{id}", handler::get)
			.PATCH("/{id}", handler::update)
			.DELETE("/{id}", handler::delete))
			.build();
	}

}
