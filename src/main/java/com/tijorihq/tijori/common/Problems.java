package com.tijorihq.tijori.common;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * Writes RFC 9457 problems. Used by the global exception handler and by the security entry points, which run
 * before any router and so cannot return a {@code ServerResponse}.
 */
@Component
public class Problems {

	private static final String TYPE_BASE = "https://tijori.dev/problems/";

	private final ObjectMapper objectMapper;

	public Problems(ObjectMapper objectMapper) {
		this.objectMapper = objectMapper;
	}

	public static ProblemDetail problem(HttpStatus status, String code, String detail, List<TijoriException.FieldError> errors) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(URI.create(TYPE_BASE + code.replace('_', '-')));
		problem.setTitle(status.getReasonPhrase());
		problem.setProperty("code", code);
		if (!errors.isEmpty()) {
			problem.setProperty("errors", errors.stream().map(e -> Map.of("field", e.field(), "message", e.message())).toList());
		}
		return problem;
	}

	public Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String code, String detail) {
		return write(exchange, status, code, detail, List.of(), null);
	}

	public Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String code, String detail,
			List<TijoriException.FieldError> errors, Duration retryAfter) {
		ServerHttpResponse response = exchange.getResponse();
		if (response.isCommitted()) {
			return Mono.empty();
		}
		ProblemDetail problem = problem(status, code, detail, errors);
		problem.setInstance(URI.create(exchange.getRequest().getPath().value()));
		problem.setProperty("traceId", RequestCorrelation.traceId(exchange));
		byte[] body;
		try {
			body = this.objectMapper.writeValueAsBytes(problem);
		}
		catch (JsonProcessingException ex) {
			return Mono.error(ex);
		}
		response.setStatusCode(status);
		HttpHeaders headers = response.getHeaders();
		headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		headers.setContentLength(body.length);
		headers.setCacheControl("no-store");
		if (retryAfter != null) {
			headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds()
					+ (retryAfter.toMillisPart() > 0 ? 1 : 0))));
		}
		DataBuffer buffer = response.bufferFactory().wrap(body);
		return response.writeWith(Mono.just(buffer));
	}

}
