package com.tijorihq.tijori.bench;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.springframework.web.reactive.function.server.RouterFunctions.route;

/**
 * The physical limit for {@code bench/run-all.sh}: the cheapest possible route through the same server, filters
 * and security chain, to compare real endpoints against in the same run. Never active outside the bench profile.
 */
@Configuration(proxyBeanMethods = false)
@Profile("bench")
class BenchRoutes {

	@Bean
	RouterFunction<ServerResponse> benchRouter() {
		return route().GET("/bench/hello",
				request -> ServerResponse.ok().contentType(MediaType.TEXT_PLAIN).bodyValue("hello"))
			.build();
	}

}
