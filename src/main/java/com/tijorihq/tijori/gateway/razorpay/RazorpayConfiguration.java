package com.tijorihq.tijori.gateway.razorpay;

import java.util.function.Supplier;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import okhttp3.HttpUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import com.tijorihq.tijori.gateway.GatewayBreakers;
import com.tijorihq.tijori.gateway.GatewayModes;
import com.tijorihq.tijori.gateway.GatewayModes.Mode;
import com.tijorihq.tijori.gateway.LocalServerAddress;
import com.tijorihq.tijori.gateway.PaymentGateway;
import com.tijorihq.tijori.gateway.razorpay.RazorpayGateway.RazorpayMode;

/**
 * Wires the Razorpay adapter: live when keys are configured, otherwise against the built-in sandbox on this app's
 * own port. The {@code prod} profile never falls back to the sandbox and refuses to start without keys.
 */
@Configuration(proxyBeanMethods = false)
class RazorpayConfiguration {

	private static final Logger log = LoggerFactory.getLogger(RazorpayConfiguration.class);

	static final String SANDBOX_PATH = "/sandbox/razorpay";

	@Bean(destroyMethod = "dispose")
	Scheduler razorpayScheduler(RazorpayProperties properties) {
		return Schedulers.newBoundedElastic(properties.threads(), properties.queue(), "razorpay");
	}

	/** Runs before the web server's graceful shutdown phase (higher phases stop first). */
	@Bean
	SmartLifecycle razorpayIdleConnections() {
		return new SmartLifecycle() {

			private volatile boolean running;

			@Override
			public void start() {
				this.running = true;
			}

			@Override
			public void stop() {
				this.running = false;
				SdkHttpClient.evictIdleConnections();
			}

			@Override
			public boolean isRunning() {
				return this.running;
			}

		};
	}

	@Bean
	PaymentGateway razorpayGateway(RazorpayProperties properties, Environment environment,
			LocalServerAddress localServer, Scheduler razorpayScheduler, MeterRegistry meters) {
		RazorpayMode mode = resolve(properties, environment.matchesProfiles("prod"),
				() -> HttpUrl.parse(localServer.url(SANDBOX_PATH)));
		if (mode.sandbox()) {
			localServer.onStarted(base -> log.info("Payment gateway: Razorpay SANDBOX (built-in, offline) at {}{}, "
					+ "key {}. Set RAZORPAY_KEY_ID and RAZORPAY_KEY_SECRET to use Razorpay.", base, SANDBOX_PATH,
					RazorpayProperties.mask(mode.keyId())));
		}
		else {
			log.info("Payment gateway: Razorpay {} mode, key {}, API {}, {} threads, queue {}, timeout {}",
					mode.keyId().startsWith("rzp_live_") ? "LIVE" : "TEST", RazorpayProperties.mask(mode.keyId()),
					properties.apiBase(), properties.threads(), properties.queue(), properties.callTimeout());
			if (!RazorpayProperties.has(mode.webhookSecret())) {
				log.warn("RAZORPAY_WEBHOOK_SECRET is not set: every Razorpay webhook will be rejected");
			}
		}
		return new RazorpayGateway(mode, razorpayScheduler, circuitBreaker(properties, meters), properties, meters);
	}

	static CircuitBreaker circuitBreaker(RazorpayProperties properties, MeterRegistry meters) {
		return GatewayBreakers.create(RazorpayGateway.NAME, properties.breaker(), meters);
	}

	/**
	 * Keys set → live (or test keys) against {@code RAZORPAY_API_BASE_URL}; keys unset → the sandbox key pair
	 * against this app. Unlike Paytm and PayU, Razorpay is required in {@code prod}: a keyless prod (or one without
	 * the webhook secret) refuses to start, naming what is missing.
	 */
	static RazorpayMode resolve(RazorpayProperties properties, boolean prod, Supplier<HttpUrl> sandboxBase) {
		Mode mode = GatewayModes.of("Razorpay")
			.key("RAZORPAY_KEY_ID", properties.keyId())
			.key("RAZORPAY_KEY_SECRET", properties.keySecret())
			.requiredInProd("RAZORPAY_WEBHOOK_SECRET", properties.webhookSecret())
			.resolve(prod);
		if (mode == Mode.LIVE) {
			HttpUrl base = HttpUrl.parse(properties.apiBase());
			if (base == null) {
				throw new IllegalStateException("RAZORPAY_API_BASE_URL is not an http(s) URL: " + properties.apiBase());
			}
			return new RazorpayMode(false, properties.keyId().trim(), properties.keySecret().trim(),
					properties.webhookSecret(), () -> base);
		}
		RazorpayProperties.Sandbox sandbox = properties.sandbox();
		if (!RazorpayProperties.has(sandbox.keyId()) || !RazorpayProperties.has(sandbox.keySecret())) {
			throw new IllegalStateException("No Razorpay keys and no sandbox key pair (tijori.sandbox.key-id/key-secret)");
		}
		return new RazorpayMode(true, sandbox.keyId(), sandbox.keySecret(), sandbox.webhookSecret(), sandboxBase);
	}

}
