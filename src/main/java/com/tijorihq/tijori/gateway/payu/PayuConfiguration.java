package com.tijorihq.tijori.gateway.payu;

import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.web.reactive.function.client.WebClient;

import com.tijorihq.tijori.gateway.CallbackUrls;
import com.tijorihq.tijori.gateway.GatewayBreakers;
import com.tijorihq.tijori.gateway.GatewayCalls;
import com.tijorihq.tijori.gateway.GatewayModes;
import com.tijorihq.tijori.gateway.GatewayModes.Mode;
import com.tijorihq.tijori.gateway.LocalServerAddress;
import com.tijorihq.tijori.gateway.PaymentGateway;
import com.tijorihq.tijori.gateway.payu.PayuGateway.PayuMode;

/**
 * Wires the PayU adapter. Key and salt set: PayU at the configured URLs. Neither set: the built-in sandbox on this
 * app's own port, except in {@code prod}, where PayU is then simply not offered (no bean). One without the other
 * is a start-up error naming the missing variable.
 */
@Configuration(proxyBeanMethods = false)
class PayuConfiguration {

	private static final Logger log = LoggerFactory.getLogger(PayuConfiguration.class);

	static final String SANDBOX_PATH = "/sandbox/payu";

	@Bean
	@Conditional(Enabled.class)
	PaymentGateway payuGateway(PayuProperties properties, LocalServerAddress localServer, CallbackUrls callbacks,
			WebClient.Builder webClients, ObjectMapper objectMapper, MeterRegistry meters) {
		PayuMode mode = resolve(properties, callbacks.absolute(),
				() -> localServer.url(SANDBOX_PATH + "/merchant/postservice?form=2"));
		if (mode.sandbox()) {
			localServer.onStarted(base -> log.info("Payment gateway: PayU SANDBOX (built-in, offline) at {}{}, key {}. "
					+ "Set PAYU_KEY and PAYU_SALT to use PayU.", base, SANDBOX_PATH, PayuProperties.mask(mode.key())));
		}
		else {
			log.info("Payment gateway: PayU, key {}, payment page {}, API {}, timeout {}",
					PayuProperties.mask(mode.key()), properties.paymentUrl(), properties.apiUrl(),
					properties.callTimeout());
		}
		WebClient web = GatewayCalls.webClient(webClients, properties.connectTimeout(), properties.httpTimeout());
		return new PayuGateway(mode, web, circuitBreaker(properties, meters), properties, callbacks, objectMapper,
				meters);
	}

	static CircuitBreaker circuitBreaker(PayuProperties properties, MeterRegistry meters) {
		return GatewayBreakers.create(PayuGateway.NAME, properties.breaker(), meters);
	}

	/**
	 * The rules every adapter's mode follows, with PayU's variables. Prod without credentials never gets as far as
	 * {@link #resolve}: {@link Enabled} asks the same rules and leaves PayU out.
	 */
	static GatewayModes modes(String key, String salt) {
		return GatewayModes.of("PayU").key("PAYU_KEY", key).key("PAYU_SALT", salt);
	}

	/**
	 * Key and salt → PayU (which needs absolute callback URLs: {@code TIJORI_PUBLIC_URL}); neither → the sandbox
	 * credentials against this app; one of them → an error naming the other.
	 */
	static PayuMode resolve(PayuProperties properties, boolean publicUrl, Supplier<String> sandboxApi) {
		Mode mode = modes(properties.key(), properties.salt())
			.liveNeeds("TIJORI_PUBLIC_URL", publicUrl, "PayU sends the buyer's browser back to Tijori's callback URL "
					+ "from its own site, so it must be absolute.")
			.resolve(false);
		if (mode == Mode.LIVE) {
			String api = properties.apiUrl().trim();
			return new PayuMode(false, properties.key().trim(), properties.salt().trim(),
					properties.paymentUrl().trim(), () -> api);
		}
		PayuProperties.Sandbox sandbox = properties.sandbox();
		if (sandbox == null || !PayuProperties.has(sandbox.key()) || !PayuProperties.has(sandbox.salt())) {
			throw new IllegalStateException("No PayU key and no sandbox credentials (tijori.payu.sandbox.key/salt)");
		}
		return new PayuMode(true, sandbox.key(), sandbox.salt(), SANDBOX_PATH + "/_payment", sandboxApi);
	}

	static final class Enabled implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			Environment environment = context.getEnvironment();
			return modes(environment.getProperty("tijori.payu.key"), environment.getProperty("tijori.payu.salt"))
				.offered(environment.matchesProfiles("prod"));
		}

	}

	static final class Disabled implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return !new Enabled().matches(context, metadata);
		}

	}

	/** Says once why PayU is not offered. */
	@Configuration(proxyBeanMethods = false)
	@Conditional(Disabled.class)
	static class NotOffered {

		NotOffered() {
			log.info("Payment gateway: PayU is not offered (PAYU_KEY and PAYU_SALT are unset; no sandbox in prod)");
		}

	}

}
