package com.tijorihq.tijori.gateway.payu;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import com.tijorihq.tijori.gateway.BreakerProperties;

/**
 * PayU merchant key and salt, and where PayU is. Both unset: the built-in sandbox (never in {@code prod}).
 * {@link #toString()} never prints the salt.
 *
 * @param paymentUrl the hosted checkout the buyer's browser posts the signed form to
 * @param apiUrl the {@code postservice} endpoint ({@code verify_payment}, refunds)
 * @param callTimeout a whole API call as the caller sees it; the HTTP client gives up a little earlier
 * @param connectTimeout TCP/TLS connect timeout
 * @param retryAfter what 503 responses tell clients to wait, an open breaker's too
 * @param breaker the circuit breaker ({@code tijori.payu.breaker.*})
 */
@Validated
@ConfigurationProperties("tijori.payu")
public record PayuProperties(String key, String salt,
		@DefaultValue("https://test.payu.in/_payment") @NotNull String paymentUrl,
		@DefaultValue("https://test.payu.in/merchant/postservice?form=2") @NotNull String apiUrl,
		@DefaultValue("10s") @NotNull Duration callTimeout, @DefaultValue("3s") @NotNull Duration connectTimeout,
		@DefaultValue("5s") @NotNull Duration retryAfter, @DefaultValue @Valid BreakerProperties breaker,
		@DefaultValue Sandbox sandbox) {

	/** The key and salt the adapter uses against the built-in sandbox (which accepts exactly these). */
	public record Sandbox(@DefaultValue("tijoriSbx") String key, @DefaultValue("tijori_sandbox_salt") String salt) {

		@Override
		public String toString() {
			return "Sandbox[key=" + mask(this.key) + "]";
		}

	}

	static boolean has(String value) {
		return value != null && !value.isBlank();
	}

	/** The HTTP response timeout: a little shorter than the call timeout, so the connection is given up first. */
	Duration httpTimeout() {
		Duration margin = this.callTimeout.dividedBy(10);
		return this.callTimeout.minus(margin.compareTo(Duration.ofMillis(250)) < 0 ? margin : Duration.ofMillis(250));
	}

	/** {@code gtK…Ft}: enough to tell keys apart in logs. */
	static String mask(String key) {
		if (!has(key)) {
			return "(none)";
		}
		return key.length() > 6 ? key.substring(0, 2) + "…" + key.substring(key.length() - 2) : "…";
	}

	@Override
	public String toString() {
		return "PayuProperties[key=" + mask(this.key) + ", salt=" + (has(this.salt) ? "***" : "") + ", paymentUrl="
				+ this.paymentUrl + ", apiUrl=" + this.apiUrl + ", callTimeout=" + this.callTimeout + "]";
	}

}
