package com.tijorihq.tijori.gateway;

import org.springframework.http.HttpStatus;

import com.tijorihq.tijori.common.TijoriException;

/**
 * The gateway understood the request and refused it (a Razorpay {@code BAD_REQUEST_ERROR}, an unknown id). The
 * gateway's own message never reaches the client; {@code detail} is ours and {@link #reason()} keeps the
 * gateway's words for logs and for callers that need to tell refusals apart.
 */
public class GatewayRejectedException extends TijoriException {

	/** The code of a refused currency, the same from every adapter. */
	public static final String CURRENCY_NOT_SUPPORTED = "currency_not_supported";

	private final String reason;

	public GatewayRejectedException(HttpStatus status, String code, String detail) {
		this(status, code, detail, null);
	}

	public GatewayRejectedException(HttpStatus status, String code, String detail, String reason) {
		super(status, code, detail);
		this.reason = reason;
	}

	/**
	 * The order's currency is not one this adapter takes (every adapter takes INR only): a 422 before any call,
	 * the same status and code whichever gateway refuses.
	 */
	/**
	 * What an auto-capturing gateway answers a capture with: checkout never asks it (see
	 * {@link GatewayCapabilities#autoCapture()}), so this only guards against a mistake.
	 */
	public static <T> reactor.core.publisher.Mono<T> capturesAutomatically() {
		return reactor.core.publisher.Mono.error(new GatewayRejectedException(HttpStatus.UNPROCESSABLE_ENTITY,
				"gateway_unsupported", "This payment gateway captures payments automatically."));
	}

	public static GatewayRejectedException currencyNotSupported(String gateway, String currency) {
		return new GatewayRejectedException(HttpStatus.UNPROCESSABLE_ENTITY, CURRENCY_NOT_SUPPORTED,
				gateway + " takes payments in INR only.", "currency " + currency);
	}

	/** The gateway's own description of the refusal (never sent to clients), or null. */
	public String reason() {
		return this.reason;
	}

}
