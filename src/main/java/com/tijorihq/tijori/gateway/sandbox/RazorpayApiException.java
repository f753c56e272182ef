package com.tijorihq.tijori.gateway.sandbox;

import org.springframework.http.HttpStatus;

/** An error the sandbox answers in Razorpay's shape: {@code {"error":{"code","description","field",...}}}. */
class RazorpayApiException extends RuntimeException {

	private final HttpStatus status;

	private final String code;

	private final String field;

	private final String reason;

	RazorpayApiException(HttpStatus status, String code, String description, String field, String reason) {
		super(description, null, false, false);
		this.status = status;
		this.code = code;
		this.field = field;
		this.reason = reason;
	}

	static RazorpayApiException badRequest(String description, String field) {
		return new RazorpayApiException(HttpStatus.BAD_REQUEST, "BAD_REQUEST_ERROR", description, field,
				"input_validation_failed");
	}

	static RazorpayApiException notFound() {
		return new RazorpayApiException(HttpStatus.BAD_REQUEST, "BAD_REQUEST_ERROR", "The id provided does not exist",
				"id", "input_validation_failed");
	}

	HttpStatus status() {
		return this.status;
	}

	String code() {
		return this.code;
	}

	String field() {
		return this.field;
	}

	String reason() {
		return this.reason;
	}

}
