package com.tijorihq.tijori.gateway;

import java.time.Duration;

import com.tijorihq.tijori.common.GatewayUnavailableException;

/**
 * A {@link GatewayUnavailableException} that remembers why, so an adapter can decide what to retry and what its
 * circuit breaker counts. Callers only ever see the public supertype (503 + {@code Retry-After}).
 */
public class GatewayCallFailure extends GatewayUnavailableException {

	public enum Kind {

		/** Connection refused or reset, 5xx or 429: worth another try for reads. */
		TRANSIENT(true, "The payment gateway is not answering right now; try again shortly."),

		/** No answer within the call timeout. */
		TIMEOUT(true, "The payment gateway did not answer in time; try again shortly."),

		/** The gateway refused our credentials or signature: an operator must fix the configuration. */
		MISCONFIGURED(true, "The payment gateway is not available right now; try again later."),

		/** The gateway answered something the adapter cannot read. */
		PROTOCOL(true, "The payment gateway answered unexpectedly; try again shortly."),

		/** Every gateway thread is busy and the queue is full: shed load, do not blame the gateway. */
		SATURATED(false, "Too many payments are in progress right now; try again shortly."),

		/** The breaker is open after repeated failures. */
		BREAKER_OPEN(false, "The payment gateway is failing; Tijori paused calls to it for a moment.");

		private final boolean gatewayFault;

		private final String detail;

		Kind(boolean gatewayFault, String detail) {
			this.gatewayFault = gatewayFault;
			this.detail = detail;
		}

	}

	private final Kind kind;

	public GatewayCallFailure(Kind kind, Duration retryAfter, Throwable cause) {
		super(kind.detail, retryAfter);
		this.kind = kind;
		if (cause != null) {
			initCause(cause);
		}
	}

	public Kind kind() {
		return this.kind;
	}

	/** Whether a circuit breaker should count this as the gateway failing. */
	public static boolean isGatewayFault(Throwable ex) {
		return ex instanceof GatewayCallFailure failure && failure.kind.gatewayFault;
	}

	/** Whether {@code ex} is a failure of one of these kinds. */
	public static boolean is(Throwable ex, Kind... kinds) {
		if (ex instanceof GatewayCallFailure failure) {
			for (Kind kind : kinds) {
				if (failure.kind == kind) {
					return true;
				}
			}
		}
		return false;
	}

}
