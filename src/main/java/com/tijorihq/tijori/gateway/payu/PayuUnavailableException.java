package com.tijorihq.tijori.gateway.payu;

import java.time.Duration;

import com.tijorihq.tijori.common.GatewayUnavailableException;

/**
 * A {@link GatewayUnavailableException} that remembers why, so the adapter can decide what to retry and what the
 * circuit breaker counts. Callers only see the public supertype (503 + {@code Retry-After}).
 */
class PayuUnavailableException extends GatewayUnavailableException {

	enum Kind {

		/** Connection refused or reset, 5xx, 429: worth another try for reads. */
		TRANSIENT(true, "The payment gateway is not answering right now; try again shortly."),

		/** No answer within the call timeout. */
		TIMEOUT(true, "The payment gateway did not answer in time; try again shortly."),

		/** PayU refused our key or hash: an operator must fix the configuration. */
		MISCONFIGURED(true, "The payment gateway is not available right now; try again later."),

		/** PayU answered something the adapter cannot read. */
		PROTOCOL(true, "The payment gateway answered unexpectedly; try again shortly."),

		/** The breaker is open after repeated failures. */
		BREAKER_OPEN(false, "The payment gateway is failing; Tijori paused calls to it for a moment.");

		final boolean gatewayFault;

		final String detail;

		Kind(boolean gatewayFault, String detail) {
			this.gatewayFault = gatewayFault;
			this.detail = detail;
		}

	}

	private final Kind kind;

	PayuUnavailableException(Kind kind, Duration retryAfter, Throwable cause) {
		super(kind.detail, retryAfter);
		this.kind = kind;
		if (cause != null) {
			initCause(cause);
		}
	}

	Kind kind() {
		return this.kind;
	}

	static boolean isGatewayFault(Throwable ex) {
		return ex instanceof PayuUnavailableException unavailable && unavailable.kind.gatewayFault;
	}

	static boolean isTransient(Throwable ex) {
		return ex instanceof PayuUnavailableException unavailable && unavailable.kind == Kind.TRANSIENT;
	}

}
