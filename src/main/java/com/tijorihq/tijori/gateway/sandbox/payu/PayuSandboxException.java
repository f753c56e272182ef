package com.tijorihq.tijori.gateway.sandbox.payu;

import org.springframework.http.HttpStatus;

/** A refusal of the sandbox's hosted pages: shown as PayU's error page, or as a problem to JSON clients. */
class PayuSandboxException extends RuntimeException {

	private final HttpStatus status;

	private final String code;

	PayuSandboxException(HttpStatus status, String code, String reason) {
		super(reason);
		this.status = status;
		this.code = code;
	}

	HttpStatus status() {
		return this.status;
	}

	String code() {
		return this.code;
	}

}
