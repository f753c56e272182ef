package com.tijorihq.tijori.gateway;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** What every adapter shares: this server's address (for sandboxes) and the callback URLs. */
@Configuration(proxyBeanMethods = false)
class GatewayConfiguration {

	@Bean
	LocalServerAddress localServerAddress(Environment environment) {
		return new LocalServerAddress(environment);
	}

	@Bean
	CallbackUrls callbackUrls(GatewayProperties properties) {
		return new CallbackUrls(properties.hasPublicUrl() ? properties.publicUrl().trim().replaceAll("/+$", "") : "");
	}

}
