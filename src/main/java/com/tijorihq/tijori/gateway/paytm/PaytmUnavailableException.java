package com.tijorihq.tijori.gateway.paytm;

import java.time.Duration;

import com.tijorihq.tijori.common.GatewayUnavailableException;

/**
 * A {@link GatewayUnavailableException} that remembers whether another try may help (reads are retried then) and
 * whether the circuit breaker should count it. Callers only see the public supertype.
 */
class PaytmUnavailableException extends GatewayUnavailableException {

	enum Kind {

		/** Connection error, 5xx or 429. */
		TRANSIENT(true, "The payment gateway is not answering right now; try again shortly."),

		/** No answer within the call timeout. */
		TIMEOUT(true, "The payment gateway did not answer in time; try again shortly."),

		/** Paytm refused our credentials or checksum: an operator must fix the configuration. */
		MISCONFIGURED(true, "The payment gateway is not available right now; try again later."),

		/** An answer that is not what Paytm documents. */
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

	PaytmUnavailableException(Kind kind, Duration retryAfter, Throwable cause) {
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
		return ex instanceof PaytmUnavailableException unavailable && unavailable.kind.gatewayFault;
	}

	static boolean isTransient(Throwable ex) {
		return ex instanceof PaytmUnavailableException unavailable
				&& (unavailable.kind == Kind.TRANSIENT || unavailable.kind == Kind.TIMEOUT);
	}

}
