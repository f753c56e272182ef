package com.tijorihq.tijori.gateway;

import org.springframework.http.HttpStatus;

import com.tijorihq.tijori.common.TijoriException;

/**
 * The gateway understood the request and refused it (a Razorpay {@code BAD_REQUEST_ERROR}, an unknown id). The
 * gateway's own message never reaches the client; {@code detail} is ours and {@link #reason()} keeps the
 * gateway's words for logs and for callers that need to tell refusals apart.
 */
public class GatewayRejectedException extends TijoriException {

	private final String reason;

	public GatewayRejectedException(HttpStatus status, String code, String detail) {
		this(status, code, detail, null);
	}

	public GatewayRejectedException(HttpStatus status, String code, String detail, String reason) {
		super(status, code, detail);
		this.reason = reason;
	}

	/** The gateway's own description of the refusal (never sent to clients), or null. */
	public String reason() {
		return this.reason;
	}

}
