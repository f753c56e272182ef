package com.tijorihq.tijori.gateway.paytm;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

import com.tijorihq.tijori.gateway.BreakerProperties;
import com.tijorihq.tijori.gateway.paytm.PaytmConfiguration.PaytmMode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** Live, sandbox, half-configured and prod: which Paytm a deployment gets. */
class PaytmModeTests {

	private static final PaytmProperties.Sandbox SANDBOX = new PaytmProperties.Sandbox("TijoriSandbox00000001",
			"tijori_sbx_key16");

	@Test
	void bothCredentialsMeanLiveAgainstTheConfiguredHost() {
		PaytmMode mode = PaytmConfiguration.resolve(properties("LiveMid000001", "abcdEFGH12345678"), true,
				() -> "unused");
		assertThat(mode.sandbox()).isFalse();
		assertThat(mode.mid()).isEqualTo("LiveMid000001");
		assertThat(mode.apiBase().get()).isEqualTo("https://securestage.paytmpayments.com");
		assertThat(mode.browserHost()).isEqualTo("https://securestage.paytmpayments.com");
		assertThat(mode.toString()).doesNotContain("abcdEFGH12345678");
	}

	@Test
	void neitherCredentialMeansTheSandbox() {
		PaytmMode mode = PaytmConfiguration.resolve(properties(null, " "), false, () -> "http://127.0.0.1:1/sandbox/paytm");
		assertThat(mode.sandbox()).isTrue();
		assertThat(mode.mid()).isEqualTo(SANDBOX.mid());
		assertThat(mode.apiBase().get()).isEqualTo("http://127.0.0.1:1/sandbox/paytm");
		assertThat(mode.browserHost()).isEqualTo("/sandbox/paytm");
	}

	@Test
	void halfConfiguredOrWithoutAPublicUrlRefusesToStartNamingWhatIsMissing() {
		assertThatIllegalStateException()
			.isThrownBy(() -> PaytmConfiguration.resolve(properties("LiveMid000001", null), true, () -> ""))
			.withMessageContaining("PAYTM_MERCHANT_KEY");
		assertThatIllegalStateException()
			.isThrownBy(() -> PaytmConfiguration.resolve(properties(null, "abcdEFGH12345678"), true, () -> ""))
			.withMessageContaining("PAYTM_MID");
		assertThatIllegalStateException()
			.isThrownBy(() -> PaytmConfiguration.resolve(properties("LiveMid000001", "abcdEFGH12345678"), false,
					() -> ""))
			.withMessageContaining("TIJORI_PUBLIC_URL");
		assertThatIllegalStateException()
			.isThrownBy(() -> PaytmConfiguration.resolve(properties("LiveMid000001", "not-an-aes-key"), true, () -> ""))
			.withMessageContaining("PAYTM_MERCHANT_KEY");
	}

	@Test
	void prodWithoutCredentialsHasNoPaytmAtAllButWithThemItDoes() {
		ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Probe.class);
		runner.withPropertyValues("spring.profiles.active=prod")
			.run(context -> assertThat(context).doesNotHaveBean("paytm"));
		runner.run(context -> assertThat(context).hasBean("paytm"));
		runner.withPropertyValues("spring.profiles.active=prod", "tijori.paytm.mid=LiveMid000001")
			.run(context -> assertThat(context).hasBean("paytm"));
	}

	@Configuration(proxyBeanMethods = false)
	static class Probe {

		@Bean
		@Conditional(PaytmEnabled.class)
		String paytm() {
			return "paytm";
		}

	}

	private static PaytmProperties properties(String mid, String key) {
		return new PaytmProperties(mid, key, "WEBSTAGING", "https://securestage.paytmpayments.com/",
				Duration.ofSeconds(10), Duration.ofSeconds(3), Duration.ofSeconds(5),
				new BreakerProperties(50, 20, 10, Duration.ofSeconds(10)), SANDBOX);
	}

}
