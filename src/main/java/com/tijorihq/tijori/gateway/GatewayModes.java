package com.tijorihq.tijori.gateway;

import java.util.ArrayList;
import java.util.List;

/**
 * How every adapter decides what it runs against, from its credentials: all set → live (with whatever live needs
 * besides, e.g. {@code TIJORI_PUBLIC_URL}); some set → a start-up error naming the missing ones; none → the
 * built-in sandbox, except under {@code prod}, where the gateway is then not offered at all, or, for a gateway a
 * deployment cannot do without, prod refuses to start and names what is missing. One rule object per decision:
 * {@code GatewayModes.of("Paytm").key("PAYTM_MID", mid).key("PAYTM_MERCHANT_KEY", key).resolve(prod)}.
 */
public final class GatewayModes {

	/** What an adapter runs against. */
	public enum Mode {

		LIVE, SANDBOX,

		/** No adapter: the gateway is not offered (prod without credentials). */
		OFF

	}

	private final String gateway;

	private final List<Variable> keys = new ArrayList<>();

	private final List<LiveNeed> liveNeeds = new ArrayList<>();

	private final List<Variable> prodNeeds = new ArrayList<>();

	private boolean requiredInProd;

	private GatewayModes(String gateway) {
		this.gateway = gateway;
	}

	/** Rules for the gateway named so in messages ({@code "Paytm"}). */
	public static GatewayModes of(String gateway) {
		return new GatewayModes(gateway);
	}

	/** One credential, by the environment variable an operator sets and its value (blank = unset). */
	public GatewayModes key(String variable, String value) {
		this.keys.add(new Variable(variable, value));
		return this;
	}

	/** What live mode needs besides the credentials, and why (said in the start-up error). */
	public GatewayModes liveNeeds(String variable, boolean set, String why) {
		this.liveNeeds.add(new LiveNeed(variable, set, why));
		return this;
	}

	/**
	 * Under {@code prod} this gateway is required rather than left out: without its credentials and these
	 * variables the application refuses to start.
	 */
	public GatewayModes requiredInProd(String variable, String value) {
		this.requiredInProd = true;
		this.prodNeeds.add(new Variable(variable, value));
		return this;
	}

	/** The mode, or an {@link IllegalStateException} (a start-up error) that names what is missing. */
	public Mode resolve(boolean prod) {
		List<String> missingKeys = missing(this.keys);
		if (prod && this.requiredInProd) {
			List<String> missing = new ArrayList<>(missingKeys);
			missing.addAll(missing(this.prodNeeds));
			if (!missing.isEmpty()) {
				throw new IllegalStateException("The prod profile needs " + String.join(", ", missing)
						+ " (missing); the " + this.gateway + " sandbox never runs in prod.");
			}
		}
		if (missingKeys.size() == this.keys.size()) {
			return (prod && !this.requiredInProd) ? Mode.OFF : Mode.SANDBOX;
		}
		if (!missingKeys.isEmpty()) {
			throw new IllegalStateException(this.gateway + " is half-configured: set "
					+ String.join(" and ", missingKeys) + " too, or unset " + String.join(" and ", this.keys.stream().map(Variable::name).toList())
					+ " to use the built-in sandbox.");
		}
		for (LiveNeed need : this.liveNeeds) {
			if (!need.set()) {
				throw new IllegalStateException(this.gateway + " needs " + need.variable() + ": " + need.why());
			}
		}
		return Mode.LIVE;
	}

	/**
	 * Whether an adapter exists at all, decided before any bean is made (for a {@code @Conditional}): never throws;
	 * a half-configured gateway is offered, so that making it fails and says why.
	 */
	public boolean offered(boolean prod) {
		return !prod || this.requiredInProd || missing(this.keys).size() < this.keys.size();
	}

	private static List<String> missing(List<Variable> variables) {
		return variables.stream().filter(variable -> !variable.set()).map(Variable::name).toList();
	}

	private record Variable(String name, String value) {

		boolean set() {
			return this.value != null && !this.value.isBlank();
		}

	}

	private record LiveNeed(String variable, boolean set, String why) {

	}

}
