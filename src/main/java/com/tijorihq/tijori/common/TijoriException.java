package com.tijorihq.tijori.common;

import java.time.Duration;
import java.util.List;

import org.springframework.http.HttpStatus;

/**
 * Base of every domain error: a stable machine-readable {@code code}, the HTTP status it maps to and a
 * client-safe detail. The single mapping point is {@link ProblemExceptionHandler}.
 */
public class TijoriException extends RuntimeException {

	private final HttpStatus status;

	private final String code;

	private final List<FieldError> errors;

	private final Duration retryAfter;

	public TijoriException(HttpStatus status, String code, String detail) {
		this(status, code, detail, List.of(), null);
	}

	public TijoriException(HttpStatus status, String code, String detail, List<FieldError> errors,
			Duration retryAfter) {
		super(detail);
		this.status = status;
		this.code = code;
		this.errors = List.copyOf(errors);
		this.retryAfter = retryAfter;
	}

	public HttpStatus status() {
		return this.status;
	}

	public String code() {
		return this.code;
	}

	public List<FieldError> errors() {
		return this.errors;
	}

	/** When set, the response carries {@code Retry-After} in whole seconds (at least 1). */
	public Duration retryAfter() {
		return this.retryAfter;
	}

	public static TijoriException notFound(String what) {
		return new TijoriException(HttpStatus.NOT_FOUND, "not_found", what + " not found");
	}

	public static TijoriException conflict(String code, String detail) {
		return new TijoriException(HttpStatus.CONFLICT, code, detail);
	}

	public static TijoriException badRequest(String code, String detail) {
		return new TijoriException(HttpStatus.BAD_REQUEST, code, detail);
	}

	public static TijoriException invalid(List<FieldError> errors) {
		return new TijoriException(HttpStatus.BAD_REQUEST, "validation_failed", "The request has invalid fields.",
				errors, null);
	}

	public static TijoriException invalid(String field, String message) {
		return invalid(List.of(new FieldError(field, message)));
	}

	/** One invalid field of a request body or query. */
	public record FieldError(String field, String message) {
	}

}
