package com.tijorihq.tijori.gateway;

import org.springframework.http.HttpStatus;

import com.tijorihq.tijori.common.TijoriException;

/**
 * The gateway understood the request and refused it (a Razorpay {@code BAD_REQUEST_ERROR}, an unknown id). The
 * gateway's own message never reaches the client; {@code detail} is ours.
 */
public class GatewayRejectedException extends TijoriException {

	public GatewayRejectedException(HttpStatus status, String code, String detail) {
		super(status, code, detail);
	}

}
