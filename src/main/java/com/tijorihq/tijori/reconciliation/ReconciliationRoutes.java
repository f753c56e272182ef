package com.tijorihq.tijori.reconciliation;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.springframework.web.reactive.function.server.RouterFunctions.route;

@Configuration(proxyBeanMethods = false)
class ReconciliationRoutes {

	@Bean
	RouterFunction<ServerResponse> reconciliationRouter(ReconciliationHandler handler) {
		return route().path("/api/admin/reconciliation", b -> b.GET("", handler::report)).build();
	}

}
