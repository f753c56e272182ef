package com.tijorihq.tijori.gateway;

import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param publicUrl the URL buyers' browsers reach Tijori at (e.g. {@code https://shop.example.com}), for the
 *        callback URLs Paytm and PayU send the browser back to; blank = this server's own address (fine on a
 *        laptop, wrong behind a proxy)
 * @param preference the order an {@code auto} order tries gateways in ({@code TIJORI_GATEWAY_PREFERENCE}); names
 *        of gateways not enabled here are skipped, enabled gateways it leaves out come last
 * @param probe the health probe of each gateway's API
 * @param allowMixedModes let live gateways and built-in sandboxes run side by side (a test rig that points
 *        live adapters at a sandbox process); otherwise such a mix refuses to start ({@link GatewayMix})
 */
@ConfigurationProperties("tijori.gateway")
@Validated
public record GatewayProperties(String publicUrl,
		@DefaultValue({ "razorpay", "paytm", "payu" }) @NotNull List<String> preference,
		@DefaultValue @Valid @NotNull Probe probe, boolean allowMixedModes) {

	public boolean hasPublicUrl() {
		return this.publicUrl != null && !this.publicUrl.isBlank();
	}

	/**
	 * @param interval pause between two probes of every gateway
	 * @param initialDelay before the first probe (the schedule itself reads these two from the environment)
	 * @param timeout a probe not answered within this counts as failed; shorter than the call timeout, so a hanging
	 *        gateway is seen as down before checkouts time out on it in numbers
	 */
	public record Probe(@DefaultValue("5s") @NotNull Duration interval, @DefaultValue("0s") @NotNull Duration initialDelay,
			@DefaultValue("2s") @NotNull Duration timeout) {
	}

}
