package com.tijorihq.tijori.gateway;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import com.tijorihq.tijori.gateway.GatewayModes.Mode;
import com.tijorihq.tijori.gateway.paytm.PaytmProperties;
import com.tijorihq.tijori.gateway.payu.PayuProperties;
import com.tijorihq.tijori.gateway.razorpay.RazorpayProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** The rules every adapter's mode follows, and the breaker settings every adapter reads the same way. */
class GatewayModesTests {

	private static GatewayModes pair(String first, String second) {
		return GatewayModes.of("Acme").key("ACME_ID", first).key("ACME_SECRET", second);
	}

	@Test
	void credentialsMeanLiveNoneMeanTheSandboxOrNothingInProd() {
		assertThat(pair("id", "secret").resolve(false)).isEqualTo(Mode.LIVE);
		assertThat(pair("id", "secret").resolve(true)).isEqualTo(Mode.LIVE);
		assertThat(pair(null, " ").resolve(false)).isEqualTo(Mode.SANDBOX);
		assertThat(pair(null, " ").resolve(true)).isEqualTo(Mode.OFF);
		assertThat(pair(null, null).offered(true)).isFalse();
		assertThat(pair(null, null).offered(false)).isTrue();
		assertThat(pair("id", null).offered(true)).as("offered, so that making it says what is missing").isTrue();
	}

	@Test
	void oneOfAPairIsAStartUpErrorNamingTheOther() {
		assertThatIllegalStateException().isThrownBy(() -> pair("id", "").resolve(false))
			.withMessageContaining("ACME_SECRET")
			.withMessageContaining("Acme is half-configured");
		assertThatIllegalStateException().isThrownBy(() -> pair(null, "secret").resolve(true))
			.withMessageContaining("set ACME_ID too");
	}

	@Test
	void liveNeedsWhatItNeedsAndSaysWhy() {
		assertThatIllegalStateException()
			.isThrownBy(() -> pair("id", "secret").liveNeeds("TIJORI_PUBLIC_URL", false, "callbacks").resolve(false))
			.withMessage("Acme needs TIJORI_PUBLIC_URL: callbacks");
		assertThat(pair(null, null).liveNeeds("TIJORI_PUBLIC_URL", false, "callbacks").resolve(false))
			.as("the sandbox does not").isEqualTo(Mode.SANDBOX);
	}

	@Test
	void aGatewayRequiredInProdNeverTurnsOffThere() {
		assertThatIllegalStateException()
			.isThrownBy(() -> pair(null, null).requiredInProd("ACME_WEBHOOK", null).resolve(true))
			.withMessageContaining("ACME_ID, ACME_SECRET, ACME_WEBHOOK");
		assertThat(pair(null, null).requiredInProd("ACME_WEBHOOK", null).offered(true)).isTrue();
		assertThat(pair(null, null).requiredInProd("ACME_WEBHOOK", null).resolve(false)).isEqualTo(Mode.SANDBOX);
		assertThat(pair("id", "secret").requiredInProd("ACME_WEBHOOK", "wh").resolve(true)).isEqualTo(Mode.LIVE);
	}

	@Test
	void everyGatewayReadsItsBreakerFromTheEnvironmentWithTheSameDefaults() {
		Binder binder = new Binder(ConfigurationPropertySources
			.from(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					Map.of("TIJORI_PAYU_BREAKER_WINDOW", "40", "TIJORI_PAYU_BREAKER_MINIMUMCALLS", "5",
							"TIJORI_PAYU_BREAKER_FAILURERATE", "25", "TIJORI_PAYU_BREAKER_OPENFOR", "30s"))));
		BreakerProperties defaults = new BreakerProperties(50, 20, 10, Duration.ofSeconds(10));
		assertThat(binder.bindOrCreate("tijori.payu", PayuProperties.class).breaker())
			.isEqualTo(new BreakerProperties(25, 40, 5, Duration.ofSeconds(30)));
		assertThat(binder.bindOrCreate("tijori.paytm", PaytmProperties.class).breaker()).isEqualTo(defaults);
		assertThat(binder.bindOrCreate("tijori.razorpay", RazorpayProperties.class).breaker()).isEqualTo(defaults);
	}

}
