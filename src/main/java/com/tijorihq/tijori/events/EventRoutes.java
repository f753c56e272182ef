package com.tijorihq.tijori.events;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.springframework.web.reactive.function.server.RouterFunctions.route;

@Configuration(proxyBeanMethods = false)
class EventRoutes {

	@Bean
	RouterFunction<ServerResponse> eventRouter(EventHandler handler) {
		return route().path("/api/orders", orders -> orders.GET("/{id}/events", handler::orderEvents)).build();
	}

}
