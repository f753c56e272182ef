package com.tijorihq.tijori.gateway.payu;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import com.tijorihq.tijori.gateway.PaymentGateway;

import static org.assertj.core.api.Assertions.assertThat;

/** Which modes create an adapter at all (no server: a bare context runner). */
class PayuModeTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(PayuConfiguration.class);

	@Test
	void prodWithoutCredentialsOffersNoPayuAdapter() {
		this.runner.withPropertyValues("spring.profiles.active=prod")
			.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(PaymentGateway.class));
	}

	@Test
	void prodWithCredentialsWantsTheAdapter() {
		// this bare context lacks the adapter's collaborators: failing to make the bean proves it was wanted (the
		// half-configured and missing-URL start-up errors are tested on PayuConfiguration.resolve)
		this.runner.withPropertyValues("spring.profiles.active=prod", "tijori.payu.key=liveKey")
			.run(context -> assertThat(context).hasFailed()
				.getFailure()
				.hasMessageContaining("payuGateway"));
	}

}
