package com.tijorihq.tijori.gateway;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param publicUrl the URL buyers' browsers reach Tijori at (e.g. {@code https://shop.example.com}), for the
 *        callback URLs Paytm and PayU send the browser back to; blank = this server's own address (fine on a
 *        laptop, wrong behind a proxy)
 * @param allowMixedModes let live gateways and built-in sandboxes run side by side (a test rig that points
 *        live adapters at a sandbox process); otherwise such a mix refuses to start ({@link GatewayMix})
 */
@ConfigurationProperties("tijori.gateway")
public record GatewayProperties(String publicUrl, boolean allowMixedModes) {

	public boolean hasPublicUrl() {
		return this.publicUrl != null && !this.publicUrl.isBlank();
	}

}
