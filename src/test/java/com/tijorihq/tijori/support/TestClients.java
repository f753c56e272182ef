package com.tijorihq.tijori.support;

import org.springframework.core.env.Environment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** Makes {@link ApiClient}s bound to the running server. */
@TestConfiguration(proxyBeanMethods = false)
public class TestClients {

	@Bean
	ApiClients apiClients(Environment environment) {
		return new ApiClients(() -> environment.getRequiredProperty("local.server.port", Integer.class),
				() -> environment.getRequiredProperty("local.management.port", Integer.class));
	}

}
