package com.tijorihq.tijori.gateway.razorpay;

import java.time.Duration;

import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

import com.tijorihq.tijori.gateway.razorpay.RazorpayGateway.RazorpayMode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class RazorpayModeTests {

	private static final HttpUrl SANDBOX = HttpUrl.parse("http://127.0.0.1:1/sandbox/razorpay");

	@Test
	void noKeysMeansTheSandboxKeyPairAgainstTheSandbox() {
		RazorpayMode mode = RazorpayConfiguration.resolve(keys(null, null, null, null), false, () -> SANDBOX);
		assertThat(mode.sandbox()).isTrue();
		assertThat(mode.keyId()).startsWith("rzp_test_sandbox");
		assertThat(mode.apiBase().get()).isEqualTo(SANDBOX);
	}

	@Test
	void keysMeanLiveAgainstRazorpayOrTheConfiguredBase() {
		RazorpayMode live = RazorpayConfiguration.resolve(keys("rzp_test_abcdefghijklmn", "s3cret", "wh", null),
				false, () -> SANDBOX);
		assertThat(live.sandbox()).isFalse();
		assertThat(live.apiBase().get().toString()).isEqualTo("https://api.razorpay.com/");
		RazorpayMode staging = RazorpayConfiguration.resolve(
				keys("rzp_test_abcdefghijklmn", "s3cret", "wh", "http://127.0.0.1:9000"), false, () -> SANDBOX);
		assertThat(staging.apiBase().get().port()).isEqualTo(9000);
	}

	@Test
	void prodRefusesToStartWithoutKeysNamingWhatIsMissing() {
		assertThatIllegalStateException()
			.isThrownBy(() -> RazorpayConfiguration.resolve(keys(null, null, null, null), true, () -> SANDBOX))
			.withMessageContaining("RAZORPAY_KEY_ID")
			.withMessageContaining("RAZORPAY_KEY_SECRET")
			.withMessageContaining("RAZORPAY_WEBHOOK_SECRET");
		assertThatIllegalStateException()
			.isThrownBy(() -> RazorpayConfiguration.resolve(keys("rzp_live_abcdefghijklmn", "s", null, null), true,
					() -> SANDBOX))
			.withMessageContaining("RAZORPAY_WEBHOOK_SECRET")
			.withMessageNotContaining("RAZORPAY_KEY_ID");
	}

	@Test
	void halfConfiguredKeysAreAnError() {
		assertThatIllegalStateException()
			.isThrownBy(() -> RazorpayConfiguration.resolve(keys("rzp_test_abcdefghijklmn", null, null, null), false,
					() -> SANDBOX))
			.withMessageContaining("RAZORPAY_KEY_SECRET");
	}

	@Test
	void secretsNeverAppearInToString() {
		RazorpayProperties properties = keys("rzp_live_abcdefghijklmn", "very-secret", "hook-secret", null);
		assertThat(properties.toString()).doesNotContain("very-secret", "hook-secret", "abcdefghij")
			.contains("rzp_live_…klmn");
		RazorpayMode mode = RazorpayConfiguration.resolve(properties, false, () -> SANDBOX);
		assertThat(mode.toString()).doesNotContain("very-secret", "hook-secret");
	}

	@Test
	void theHttpClientGivesUpJustBeforeTheCaller() {
		RazorpayProperties properties = keys(null, null, null, null);
		assertThat(properties.httpTimeout()).isLessThan(properties.callTimeout())
			.isGreaterThan(properties.callTimeout().minus(Duration.ofSeconds(1)));
	}

	private static RazorpayProperties keys(String keyId, String secret, String webhookSecret, String base) {
		RazorpayProperties defaults = RazorpayPropertiesFixtures.properties(4, 4);
		return new RazorpayProperties(keyId, secret, webhookSecret, base, 4, 4, Duration.ofSeconds(10),
				Duration.ofSeconds(3), 2, Duration.ofMillis(100), Duration.ofSeconds(5), defaults.breaker(),
				defaults.sandbox());
	}

}
