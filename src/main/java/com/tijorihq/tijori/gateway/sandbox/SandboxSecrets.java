package com.tijorihq.tijori.gateway.sandbox;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

import com.tijorihq.tijori.common.Ids;

/**
 * Without {@code RAZORPAY_WEBHOOK_SECRET}, generates the sandbox's webhook secret once per process, as a property
 * so that the sandbox (which signs) and the adapter (which verifies, via {@code tijori.razorpay.sandbox.*}) read
 * the same value. A {@code ${random.value}} placeholder would not do: it yields a new value on every lookup.
 */
class SandboxSecrets implements EnvironmentPostProcessor {

	static final String WEBHOOK_SECRET = "tijori.sandbox.webhook-secret";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!StringUtils.hasText(environment.getProperty(WEBHOOK_SECRET))) {
			environment.getPropertySources()
				.addFirst(new MapPropertySource("sandboxGeneratedSecrets",
						Map.of(WEBHOOK_SECRET, "whsec_sandbox_" + Ids.random(24))));
		}
	}

}
