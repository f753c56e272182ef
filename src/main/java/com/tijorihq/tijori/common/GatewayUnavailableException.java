package com.tijorihq.tijori.common;

import java.time.Duration;
import java.util.List;

import org.springframework.http.HttpStatus;

/** The payment gateway (or the pool guarding it) refused or failed the call; the client should retry later. */
public class GatewayUnavailableException extends TijoriException {

	public GatewayUnavailableException(String detail, Duration retryAfter) {
		super(HttpStatus.SERVICE_UNAVAILABLE, "gateway_unavailable", detail, List.of(), retryAfter);
	}

}
