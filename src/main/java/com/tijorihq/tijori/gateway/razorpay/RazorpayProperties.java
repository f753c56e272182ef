package com.tijorihq.tijori.gateway.razorpay;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import com.tijorihq.tijori.gateway.BreakerProperties;

/**
 * Razorpay keys and how hard Tijori leans on the gateway. Blank keys mean sandbox mode: the adapter then uses the
 * {@code sandbox} key pair against this app's own {@code /sandbox/razorpay}. {@link #toString()} never prints
 * a secret.
 *
 * @param apiBaseUrl where the SDK's {@code /v1/...} paths go in live mode; blank = {@code https://api.razorpay.com}
 * @param threads threads of the gateway scheduler (each blocked for one SDK call) and idle HTTP connections kept
 * @param queue calls that may wait per gateway thread (Reactor's bounded elastic queues per thread) before new
 *        ones are refused with 503; at most {@code threads * (1 + queue)} calls are accepted at once
 * @param callTimeout the whole call as the caller sees it; the HTTP client gives up a little earlier
 * @param connectTimeout TCP/TLS connect timeout
 * @param readRetries extra attempts for reads after a transient failure (writes are never retried blindly)
 * @param retryBackoff first backoff of those retries (jittered, doubling)
 * @param retryAfter what 503 responses tell clients to wait (an open breaker's: {@code breaker.openFor})
 * @param breaker the circuit breaker ({@code tijori.razorpay.breaker.*})
 */
@Validated
@ConfigurationProperties("tijori.razorpay")
public record RazorpayProperties(String keyId, String keySecret, String webhookSecret, String apiBaseUrl,
		@DefaultValue("16") @Min(1) int threads, @DefaultValue("64") @Min(0) int queue,
		@DefaultValue("10s") @NotNull Duration callTimeout, @DefaultValue("3s") @NotNull Duration connectTimeout,
		@DefaultValue("2") @Min(0) int readRetries, @DefaultValue("100ms") @NotNull Duration retryBackoff,
		@DefaultValue("5s") @NotNull Duration retryAfter, @DefaultValue @Valid BreakerProperties breaker,
		@DefaultValue @Valid Sandbox sandbox) {

	static final String DEFAULT_API_BASE_URL = "https://api.razorpay.com";

	/**
	 * The key pair the adapter uses in sandbox mode; the built-in sandbox accepts exactly these (both sides read
	 * {@code tijori.sandbox.*}, see application.yml).
	 */
	public record Sandbox(String keyId, String keySecret, String webhookSecret) {

		@Override
		public String toString() {
			return "Sandbox[keyId=" + mask(this.keyId) + "]";
		}

	}

	String apiBase() {
		return has(this.apiBaseUrl) ? this.apiBaseUrl.trim() : DEFAULT_API_BASE_URL;
	}

	/** The OkHttp read/write timeout: a little shorter than the call timeout so the thread is freed first. */
	Duration httpTimeout() {
		Duration margin = this.callTimeout.dividedBy(10).compareTo(Duration.ofMillis(250)) < 0
				? this.callTimeout.dividedBy(10) : Duration.ofMillis(250);
		return this.callTimeout.minus(margin);
	}

	static boolean has(String value) {
		return value != null && !value.isBlank();
	}

	/** {@code rzp_test_…abcd}: enough to tell keys apart in logs, not enough to use them. */
	static String mask(String keyId) {
		if (!has(keyId)) {
			return "(none)";
		}
		int prefix = keyId.startsWith("rzp_live_") || keyId.startsWith("rzp_test_") ? 9 : 0;
		String tail = keyId.length() - prefix > 8 ? keyId.substring(keyId.length() - 4) : "";
		return keyId.substring(0, prefix) + "…" + tail;
	}

	@Override
	public String toString() {
		return "RazorpayProperties[keyId=" + mask(this.keyId) + ", keySecret=" + (has(this.keySecret) ? "***" : "")
				+ ", webhookSecret=" + (has(this.webhookSecret) ? "***" : "") + ", apiBaseUrl=" + apiBase()
				+ ", threads=" + this.threads + ", queue=" + this.queue + ", callTimeout=" + this.callTimeout + "]";
	}

}
