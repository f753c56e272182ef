package com.tijorihq.tijori.gateway.razorpay;

import java.time.Duration;

import com.tijorihq.tijori.common.GatewayUnavailableException;

/**
 * A {@link GatewayUnavailableException} that remembers why, so the adapter can decide what to retry and what the
 * circuit breaker counts. Callers only ever see the public supertype (503 + {@code Retry-After}).
 */
class RazorpayUnavailableException extends GatewayUnavailableException {

	enum Kind {

		/** I/O error, 5xx or 429: worth another try for reads. */
		TRANSIENT(true, "The payment gateway is not answering right now; try again shortly."),

		/** No answer within the call timeout. */
		TIMEOUT(true, "The payment gateway did not answer in time; try again shortly."),

		/** Our keys were refused: an operator must fix the configuration. */
		MISCONFIGURED(true, "The payment gateway is not available right now; try again later."),

		/** The gateway answered something the SDK could not read. */
		PROTOCOL(true, "The payment gateway answered unexpectedly; try again shortly."),

		/** Every gateway thread is busy and the queue is full: shed load, do not blame the gateway. */
		SATURATED(false, "Too many payments are in progress right now; try again shortly."),

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

	RazorpayUnavailableException(Kind kind, Duration retryAfter, Throwable cause) {
		super(kind.detail, retryAfter);
		this.kind = kind;
		if (cause != null) {
			initCause(cause);
		}
	}

	Kind kind() {
		return this.kind;
	}

	/** Whether the circuit breaker should count this as the gateway failing. */
	static boolean isGatewayFault(Throwable ex) {
		return ex instanceof RazorpayUnavailableException unavailable && unavailable.kind.gatewayFault;
	}

	static boolean isTransient(Throwable ex) {
		return ex instanceof RazorpayUnavailableException unavailable && unavailable.kind == Kind.TRANSIENT;
	}

}
