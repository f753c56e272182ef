package com.tijorihq.tijori.gateway;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.stereotype.Component;

import com.tijorihq.tijori.common.GatewayUnavailableException;
import com.tijorihq.tijori.common.TijoriException;

/**
 * The gateways this deployment offers: every {@link PaymentGateway} bean (an adapter exists only when its
 * gateway is configured, or runs against its built-in sandbox outside {@code prod}). Orders remember their
 * gateway by {@link PaymentGateway#name()}, and everything after checkout (callbacks, webhooks, reconciliation,
 * refunds) goes back to that one.
 */
@Component
public class PaymentGateways {

	/** What a client names for "whichever gateway is healthy" (the same as naming none). */
	public static final String AUTO = "auto";

	/** Where gateways the preference leaves out go, after it. */
	private static final List<String> DEFAULT_ORDER = List.of("razorpay", "paytm", "payu");

	private final Map<String, PaymentGateway> byName = new LinkedHashMap<>();

	/**
	 * @param gateways every adapter
	 * @param properties {@code preference} orders them: gateways are listed in it, and the default (and the first
	 *        an {@code auto} order tries) is the first of them that is enabled
	 */
	public PaymentGateways(List<PaymentGateway> gateways, GatewayProperties properties) {
		List<String> preference = properties.preference().stream().map(String::trim).toList();
		gateways.stream()
			.sorted(Comparator.comparingInt(gateway -> rank(preference, gateway.name())))
			.forEach(gateway -> {
				if (this.byName.putIfAbsent(gateway.name(), gateway) != null) {
					throw new IllegalStateException("Two payment gateways are named " + gateway.name());
				}
			});
		if (this.byName.isEmpty()) {
			throw new IllegalStateException("No payment gateway is configured");
		}
	}

	/** Enabled gateways in the order of preference. */
	public List<PaymentGateway> enabled() {
		return List.copyOf(this.byName.values());
	}

	/** The gateway an order uses when the client names none. */
	public PaymentGateway defaultGateway() {
		return this.byName.values().iterator().next();
	}

	public Optional<PaymentGateway> find(String name) {
		return Optional.ofNullable((name != null) ? this.byName.get(name) : null);
	}

	/**
	 * The gateway a stored order was made with. One that is no longer configured is a 503: the order's money is
	 * at that gateway and nothing else can answer for it.
	 */
	public PaymentGateway of(String name) {
		PaymentGateway gateway = (name != null) ? this.byName.get(name) : null;
		if (gateway == null) {
			throw new GatewayUnavailableException("The payment gateway " + name + " is not configured on this server.",
					null);
		}
		return gateway;
	}

	/**
	 * The gateway a client asked for by name: the default when none (or {@code auto}), a 400 naming the choices
	 * when it is unknown or not enabled here.
	 */
	public PaymentGateway choose(String name) {
		if (name == null || AUTO.equals(name)) {
			return defaultGateway();
		}
		return find(name).orElseThrow(() -> TijoriException.invalid("gateway",
				"must be auto or one of the enabled gateways: " + String.join(", ", this.byName.keySet())));
	}

	private static int rank(List<String> preference, String name) {
		int rank = preference.indexOf(name);
		return (rank < 0) ? preference.size() + DEFAULT_ORDER.indexOf(name) + 1 : rank;
	}

}
