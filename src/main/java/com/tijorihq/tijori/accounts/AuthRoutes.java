package com.tijorihq.tijori.accounts;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.springframework.web.reactive.function.server.RouterFunctions.route;

@Configuration(proxyBeanMethods = false)
class AuthRoutes {

	@Bean
	RouterFunction<ServerResponse> authRouter(AuthHandler handler) {
		return route().path("/api/auth", b -> b
			.POST("/register", handler::register)
			.POST("/login", handler::login)
			.POST("/logout", handler::logout)
			.GET("/me", handler::me)
			.GET("/csrf", handler::csrf))
			.build();
	}

}
