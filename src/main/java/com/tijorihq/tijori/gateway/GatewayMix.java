package com.tijorihq.tijori.gateway;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Refuses to start with live gateways next to built-in sandboxes: with live Razorpay keys and no Paytm ones, the
 * Paytm sandbox would still take orders, and a buyer could "pay" one with no money moving. Either every enabled
 * gateway is live or every one is a sandbox, unless {@code TIJORI_GATEWAY_ALLOW_MIXED_MODES} says otherwise.
 */
@Component
class GatewayMix {

	private static final Logger log = LoggerFactory.getLogger(GatewayMix.class);

	GatewayMix(List<PaymentGateway> gateways, GatewayProperties properties) {
		List<String> live = names(gateways, false);
		List<String> sandboxes = names(gateways, true);
		if (live.isEmpty() || sandboxes.isEmpty()) {
			return;
		}
		String mix = "live " + String.join(", ", live) + " next to the built-in sandbox of "
				+ String.join(", ", sandboxes);
		if (!properties.allowMixedModes()) {
			throw new IllegalStateException("Refusing to start with " + mix
					+ ": an order could be paid in a sandbox with no money moving. Configure the credentials of "
					+ String.join(", ", sandboxes) + " too, or run in the prod profile (no sandboxes), or set "
					+ "TIJORI_GATEWAY_ALLOW_MIXED_MODES=true for a test rig that means it.");
		}
		log.warn("Running {} (TIJORI_GATEWAY_ALLOW_MIXED_MODES=true): never do this where real buyers pay", mix);
	}

	private static List<String> names(List<PaymentGateway> gateways, boolean sandbox) {
		return gateways.stream().filter(gateway -> gateway.sandbox() == sandbox).map(PaymentGateway::name).sorted().toList();
	}

}
