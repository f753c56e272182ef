package com.tijorihq.tijori.gateway.sandbox;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;

/**
 * In the sandbox-only process there are no accounts: the sandbox authenticates its API itself (Basic auth with
 * the sandbox key pair), like Razorpay, so Spring Security only stays out of the way.
 */
@Configuration(proxyBeanMethods = false)
@Profile(SandboxActive.PROFILE)
class SandboxStandaloneSecurity {

	@Bean
	SecurityWebFilterChain sandboxSecurityWebFilterChain(ServerHttpSecurity http) {
		return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.logout(ServerHttpSecurity.LogoutSpec::disable)
			.authorizeExchange(auth -> auth.anyExchange().permitAll())
			.build();
	}

}
