package com.tijorihq.tijori.common;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Refuses a request whose {@code Content-Type} or {@code Accept} cannot be honoured before anything runs, so no
 * handler, security rule or codec meets it half-way (parsed lazily, an unsupported charset surfaced as a 500 on
 * every JSON route, and a {@code DELETE} with an unsatisfiable {@code Accept} ran before its answer failed):
 * an unparseable or unsupported {@code Content-Type}, or a JSON body in any charset but UTF-8 (RFC 8259), is a
 * 415; an unparseable {@code Accept} a 400; an {@code Accept} that the API can answer with none of its media
 * types a 406.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class HeaderChecks implements WebFilter {

	/**
	 * What the API answers with: JSON, problems, status streams, the HTML of the browser return pages, and the
	 * reconciliation report's NDJSON and CSV.
	 */
	private static final List<MediaType> API_ANSWERS = List.of(MediaType.APPLICATION_JSON,
			MediaType.APPLICATION_PROBLEM_JSON, MediaType.TEXT_EVENT_STREAM, MediaType.TEXT_HTML,
			MediaType.APPLICATION_NDJSON, MediaType.parseMediaType("text/csv"));

	private final Problems problems;

	public HeaderChecks(Problems problems) {
		this.problems = problems;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		HttpHeaders headers = exchange.getRequest().getHeaders();
		String contentType = headers.getFirst(HttpHeaders.CONTENT_TYPE);
		if (contentType != null && !readable(contentType)) {
			return this.problems.write(exchange, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
					"The Content-Type is not one Tijori reads: send JSON as application/json in UTF-8.");
		}
		List<String> accept = headers.get(HttpHeaders.ACCEPT);
		if (accept != null) {
			List<MediaType> acceptable;
			try {
				acceptable = MediaType.parseMediaTypes(accept);
			}
			catch (InvalidMediaTypeException ex) {
				return this.problems.write(exchange, HttpStatus.BAD_REQUEST, "malformed_header",
						"The Accept header is not a list of media types.");
			}
			if (api(exchange) && !acceptable.isEmpty()
					&& acceptable.stream().noneMatch(type -> API_ANSWERS.stream().anyMatch(type::isCompatibleWith))) {
				return this.problems.write(exchange, HttpStatus.NOT_ACCEPTABLE, "not_acceptable",
						"The API answers with application/json (errors: application/problem+json).");
			}
		}
		return chain.filter(exchange);
	}

	private static boolean readable(String value) {
		MediaType type;
		try {
			type = MediaType.parseMediaType(value);
		}
		catch (InvalidMediaTypeException ex) {
			// an unsupported charset lands here too
			return false;
		}
		if (type.isWildcardType() || type.isWildcardSubtype()) {
			return false;
		}
		Charset charset = type.getCharset();
		boolean json = MediaType.APPLICATION_JSON.isCompatibleWith(type)
				|| (type.getSubtype().endsWith("+json"));
		return charset == null || !json || charset.equals(StandardCharsets.UTF_8)
				|| charset.equals(StandardCharsets.US_ASCII);
	}

	private static boolean api(ServerWebExchange exchange) {
		return exchange.getRequest().getPath().pathWithinApplication().value().startsWith("/api/");
	}

}
