package com.tijorihq.tijori.gateway.paytm;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import com.tijorihq.tijori.gateway.BreakerProperties;

/**
 * Paytm credentials and endpoints. MID and merchant key both blank = the built-in sandbox (outside {@code prod});
 * {@link #toString()} never prints the merchant key.
 *
 * @param website Paytm's {@code websiteName} ({@code WEBSTAGING} on staging, {@code DEFAULT} in production)
 * @param baseUrl Paytm's host: staging {@code https://securestage.paytmpayments.com}, production
 *        {@code https://secure.paytmpayments.com}
 * @param callTimeout a whole call as the caller sees it
 * @param connectTimeout TCP/TLS connect timeout
 * @param retryAfter what 503 responses tell clients to wait, an open breaker's too
 * @param breaker the circuit breaker ({@code tijori.paytm.breaker.*})
 * @param sandbox the credentials the adapter and the built-in sandbox share in sandbox mode
 */
@Validated
@ConfigurationProperties("tijori.paytm")
public record PaytmProperties(String mid, String merchantKey, @DefaultValue("WEBSTAGING") String website,
		@DefaultValue("https://securestage.paytmpayments.com") String baseUrl,
		@DefaultValue("10s") @NotNull Duration callTimeout, @DefaultValue("3s") @NotNull Duration connectTimeout,
		@DefaultValue("5s") @NotNull Duration retryAfter, @DefaultValue @Valid BreakerProperties breaker,
		@DefaultValue Sandbox sandbox) {

	public record Sandbox(String mid, String merchantKey) {

		@Override
		public String toString() {
			return "Sandbox[mid=" + mask(this.mid) + "]";
		}

	}

	static boolean has(String value) {
		return value != null && !value.isBlank();
	}

	/** {@code Tijo…0001}: enough to tell MIDs apart in logs. */
	static String mask(String mid) {
		if (!has(mid)) {
			return "(none)";
		}
		return (mid.length() > 8) ? mid.substring(0, 4) + "…" + mid.substring(mid.length() - 4) : "…";
	}

	@Override
	public String toString() {
		return "PaytmProperties[mid=" + mask(this.mid) + ", merchantKey=" + (has(this.merchantKey) ? "***" : "")
				+ ", website=" + this.website + ", baseUrl=" + this.baseUrl + ", callTimeout=" + this.callTimeout + "]";
	}

}
