package com.tijorihq.tijori.common;

import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.mongodb.MongoConnectionPoolClearedException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.core.annotation.Order;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.stereotype.Component;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import org.springframework.web.server.WebExceptionHandler;

/**
 * The one place every error becomes an {@code application/problem+json} response. Ordered ahead of Boot's own
 * handler; functional routes never reach {@code @ControllerAdvice}. Unexpected errors are logged once here and
 * answered with a 500 that carries no internals.
 */
@Component
@Order(-2)
public class ProblemExceptionHandler implements WebExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ProblemExceptionHandler.class);

	private final Problems problems;

	public ProblemExceptionHandler(Problems problems) {
		this.problems = problems;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
		if (ex instanceof TijoriException tijori) {
			return this.problems.write(exchange, tijori.status(), tijori.code(), tijori.getMessage(), tijori.errors(),
					tijori.retryAfter());
		}
		if (hasCause(ex, RejectedExecutionException.class)) {
			// a bounded scheduler's queue is full (e.g. a flood of logins): shed load now, ask to come back
			return this.problems.write(exchange, HttpStatus.SERVICE_UNAVAILABLE, "busy",
					"Tijori is busy right now; try again shortly.", List.of(), java.time.Duration.ofSeconds(1));
		}
		if (databaseUnreachable(ex)) {
			// a dropped connection or no server to talk to: nothing is decided, and a retry (with the same
			// Idempotency-Key for a checkout) finishes what this request started
			return LogContext
				.log(() -> log.warn("Database unavailable on {} {} [{}]: {}", exchange.getRequest().getMethod(),
						exchange.getRequest().getPath().value(), exchange.getRequest().getId(), ex.toString()))
				.then(this.problems.write(exchange, HttpStatus.SERVICE_UNAVAILABLE, "database_unavailable",
						"Tijori cannot reach its database right now; try again shortly.", List.of(),
						java.time.Duration.ofSeconds(1)));
		}
		if (hasCause(ex, DataBufferLimitException.class)) {
			return this.problems.write(exchange, HttpStatus.PAYLOAD_TOO_LARGE, "payload_too_large",
					"The request body is too large.");
		}
		if (ex instanceof UnsupportedMediaTypeStatusException) {
			return this.problems.write(exchange, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
					"Send the body as application/json.");
		}
		if (ex instanceof ServerWebInputException input) {
			return handleInput(exchange, input);
		}
		if (ex instanceof MethodNotAllowedException) {
			return this.problems.write(exchange, HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
					"This method is not allowed here.");
		}
		if (ex instanceof ResponseStatusException status && status.getStatusCode().is4xxClientError()) {
			HttpStatus code = HttpStatus.valueOf(status.getStatusCode().value());
			String detail = (code == HttpStatus.NOT_FOUND) ? "No such resource." : code.getReasonPhrase();
			return this.problems.write(exchange, code, code.name().toLowerCase(), detail);
		}
		if (ex instanceof AuthenticationException) {
			return this.problems.write(exchange, HttpStatus.UNAUTHORIZED, "unauthenticated", "Log in first.");
		}
		if (ex instanceof AccessDeniedException) {
			return this.problems.write(exchange, HttpStatus.FORBIDDEN, "forbidden", "Not allowed.");
		}
		HttpStatusCode status = HttpStatus.INTERNAL_SERVER_ERROR;
		return LogContext
			.log(() -> log.error("Unhandled error on {} {} [{}]", exchange.getRequest().getMethod(),
					exchange.getRequest().getPath().value(), exchange.getRequest().getId(), ex))
			.then(this.problems.write(exchange, HttpStatus.valueOf(status.value()), "internal_error",
					"Something went wrong on our side. It was logged; try again later."));
	}

	private Mono<Void> handleInput(ServerWebExchange exchange, ServerWebInputException ex) {
		JsonMappingException mapping = findCause(ex, JsonMappingException.class);
		if (mapping != null && !mapping.getPath().isEmpty()) {
			String field = mapping.getPath()
				.stream()
				.map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
				.collect(Collectors.joining(".")).replace(".[", "[");
			String message = (mapping instanceof UnrecognizedPropertyException) ? "unknown field"
					: "has the wrong type or format";
			return this.problems.write(exchange, HttpStatus.BAD_REQUEST, "validation_failed",
					"The request has invalid fields.", List.of(new TijoriException.FieldError(field, message)), null);
		}
		if (hasCause(ex, JsonProcessingException.class) || hasCause(ex, DecodingException.class)) {
			return this.problems.write(exchange, HttpStatus.BAD_REQUEST, "malformed_body",
					"The request body is not valid JSON.");
		}
		return this.problems.write(exchange, HttpStatus.BAD_REQUEST, "bad_request",
				ex.getReason() != null ? ex.getReason() : "The request is invalid.");
	}

	private static boolean databaseUnreachable(Throwable ex) {
		return hasCause(ex, MongoSocketException.class) || hasCause(ex, MongoTimeoutException.class)
				|| hasCause(ex, MongoConnectionPoolClearedException.class)
				|| hasCause(ex, DataAccessResourceFailureException.class);
	}

	private static boolean hasCause(Throwable ex, Class<? extends Throwable> type) {
		return findCause(ex, type) != null;
	}

	private static <T extends Throwable> T findCause(Throwable ex, Class<T> type) {
		for (Throwable t = ex; t != null; t = (t.getCause() == t) ? null : t.getCause()) {
			if (type.isInstance(t)) {
				return type.cast(t);
			}
		}
		return null;
	}

}
