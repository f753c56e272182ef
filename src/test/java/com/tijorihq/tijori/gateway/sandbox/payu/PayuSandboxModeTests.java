package com.tijorihq.tijori.gateway.sandbox.payu;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** The PayU sandbox's switch: never in prod, never beside real credentials. */
class PayuSandboxModeTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(PayuSandboxConfiguration.class);

	@Test
	void prodNeverServesTheSandbox() {
		this.runner.withPropertyValues("spring.profiles.active=prod")
			.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(PayuSandboxHandler.class));
	}

	@Test
	void realCredentialsTurnTheSandboxOff() {
		this.runner.withPropertyValues("tijori.payu.key=liveKey", "tijori.payu.salt=liveSalt")
			.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(PayuSandboxHandler.class));
	}

}
