package com.tijorihq.tijori.gateway.paytm;

import java.net.URI;
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
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.web.reactive.function.client.WebClient;

import com.tijorihq.tijori.gateway.CallbackUrls;
import com.tijorihq.tijori.gateway.GatewayBreakers;
import com.tijorihq.tijori.gateway.GatewayCalls;
import com.tijorihq.tijori.gateway.GatewayModes;
import com.tijorihq.tijori.gateway.GatewayModes.Mode;
import com.tijorihq.tijori.gateway.LocalServerAddress;
import com.tijorihq.tijori.gateway.PaymentGateway;

/**
 * Wires the Paytm adapter. MID and merchant key set: live against {@code PAYTM_BASE_URL} (needs
 * {@code TIJORI_PUBLIC_URL}, since Paytm sends the buyer's browser back to Tijori); only one of them: a start-up
 * error naming the other; neither: the built-in sandbox on this app's own port, or, in {@code prod}, no Paytm at
 * all.
 */
@Configuration(proxyBeanMethods = false)
class PaytmConfiguration {

	private static final Logger log = LoggerFactory.getLogger(PaytmConfiguration.class);

	static final String SANDBOX_PATH = "/sandbox/paytm";

	@Bean
	@Conditional(PaytmEnabled.class)
	PaymentGateway paytmGateway(PaytmProperties properties, LocalServerAddress localServer, CallbackUrls callbackUrls,
			WebClient.Builder webClients, ObjectMapper objectMapper, MeterRegistry meters) {
		PaytmMode mode = resolve(properties, callbackUrls.absolute(), () -> localServer.url(SANDBOX_PATH));
		if (mode.sandbox()) {
			localServer.onStarted(base -> log.info("Payment gateway: Paytm SANDBOX (built-in, offline) at {}{}, MID {}. "
					+ "Set PAYTM_MID and PAYTM_MERCHANT_KEY to use Paytm.", base, SANDBOX_PATH,
					PaytmProperties.mask(mode.mid())));
		}
		else {
			log.info("Payment gateway: Paytm at {}, MID {}, website {}, timeout {}", properties.baseUrl(),
					PaytmProperties.mask(mode.mid()), mode.website(), properties.callTimeout());
		}
		WebClient client = GatewayCalls.webClient(webClients, properties.connectTimeout(), properties.callTimeout());
		return new PaytmGateway(mode, client, circuitBreaker(properties, meters), callbackUrls, properties,
				objectMapper, meters);
	}

	static CircuitBreaker circuitBreaker(PaytmProperties properties, MeterRegistry meters) {
		return GatewayBreakers.create(PaytmGateway.NAME, properties.breaker(), meters);
	}

	/**
	 * The rules every adapter's mode follows, with Paytm's variables. Prod without credentials never gets as far
	 * as {@link #resolve}: {@link PaytmEnabled} asks the same rules and leaves Paytm out.
	 */
	static GatewayModes modes(String mid, String merchantKey) {
		return GatewayModes.of("Paytm").key("PAYTM_MID", mid).key("PAYTM_MERCHANT_KEY", merchantKey);
	}

	/** Live, sandbox, or a start-up error that names what is missing. */
	static PaytmMode resolve(PaytmProperties properties, boolean publicUrl, Supplier<String> sandboxBase) {
		Mode mode = modes(properties.mid(), properties.merchantKey())
			.liveNeeds("TIJORI_PUBLIC_URL", publicUrl, "where buyers' browsers reach Tijori; Paytm sends the buyer "
					+ "back to its callback URL from its own site, so it must be absolute.")
			.resolve(false);
		if (mode == Mode.LIVE) {
			String base = properties.baseUrl() == null ? "" : properties.baseUrl().trim().replaceAll("/+$", "");
			URI uri = URI.create(base);
			if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
				throw new IllegalStateException("PAYTM_BASE_URL is not an http(s) URL: " + base);
			}
			checkKey(properties.merchantKey().trim(), "PAYTM_MERCHANT_KEY");
			return new PaytmMode(false, properties.mid().trim(), properties.merchantKey().trim(), properties.website(),
					() -> base, base);
		}
		PaytmProperties.Sandbox sandbox = properties.sandbox();
		if (sandbox == null || !PaytmProperties.has(sandbox.mid()) || !PaytmProperties.has(sandbox.merchantKey())) {
			throw new IllegalStateException("No Paytm credentials and no sandbox ones (tijori.paytm.sandbox.*)");
		}
		checkKey(sandbox.merchantKey(), "tijori.paytm.sandbox.merchant-key");
		return new PaytmMode(true, sandbox.mid(), sandbox.merchantKey(), properties.website(), sandboxBase,
				SANDBOX_PATH);
	}

	private static void checkKey(String key, String name) {
		int length = key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
		if (length != 16 && length != 24 && length != 32) {
			throw new IllegalStateException(name + " must be 16, 24 or 32 characters (an AES key), not " + length);
		}
	}

	/**
	 * Where calls go and with which credentials.
	 *
	 * @param apiBase the base URL the server calls (resolved per call: the sandbox's port is known only once the
	 *        server started)
	 * @param browserHost the base a browser uses: Paytm's host, or the sandbox's path on this same origin
	 */
	record PaytmMode(boolean sandbox, String mid, String merchantKey, String website, Supplier<String> apiBase,
			String browserHost) {

		@Override
		public String toString() {
			return "PaytmMode[" + (this.sandbox ? "sandbox" : "live") + ", mid=" + PaytmProperties.mask(this.mid) + "]";
		}

	}

	/** Says once, at start-up, why Paytm is not offered. */
	@Configuration(proxyBeanMethods = false)
	@Conditional(PaytmDisabled.class)
	static class PaytmDisabledNotice {

		PaytmDisabledNotice() {
			log.info("Payment gateway: Paytm is not offered (PAYTM_MID and PAYTM_MERCHANT_KEY are unset, and the "
					+ "prod profile never runs a sandbox)");
		}

	}

	static class PaytmDisabled implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return !new PaytmEnabled().matches(context, metadata);
		}

	}

}
