package com.tijorihq.tijori.gateway.sandbox;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.util.HtmlUtils;

/**
 * What the Paytm and PayU sandboxes' pages share: one look, HTML escaping, a strict CSP, and the auto-submitting
 * form that carries a signed result back to the merchant (a Continue button for browsers without JavaScript), as
 * the real hosted checkouts do.
 */
public final class SandboxPages {

	public static final String STYLE = "<style>body{font-family:system-ui,sans-serif;max-width:30rem;margin:3rem auto;"
			+ "padding:0 1rem}button{font-size:1rem;padding:.6rem 1.2rem;margin-right:.5rem}</style>";

	private SandboxPages() {
	}

	/** An HTML page, never cached, whose forms may post to this site and to {@code formTarget}'s origin. */
	public static Mono<ServerResponse> html(HttpStatus status, String body, String formTarget) {
		return ServerResponse.status(status)
			.contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
			.header("Cache-Control", "no-store")
			.header("Content-Security-Policy", csp(formTarget))
			.bodyValue(body);
	}

	/** Forms may post to this site and, when {@code formTarget} is an absolute http(s) URL, to its origin. */
	public static String csp(String formTarget) {
		String formAction = "'self'";
		if (formTarget != null && (formTarget.startsWith("https://") || formTarget.startsWith("http://"))) {
			URI uri = URI.create(formTarget);
			formAction += " " + uri.getScheme() + "://" + uri.getRawAuthority();
		}
		return "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; form-action " + formAction
				+ "; frame-ancestors 'self'";
	}

	/** The page that posts {@code fields} to the merchant's {@code callbackUrl} at once. */
	public static String returnForm(String formId, String message, String callbackUrl, Map<String, String> fields) {
		StringBuilder inputs = new StringBuilder();
		fields.forEach((name, value) -> inputs.append("<input type=\"hidden\" name=\"")
			.append(escape(name))
			.append("\" value=\"")
			.append(escape(value))
			.append("\">\n"));
		return """
				<!doctype html>
				<html lang="en"><head><meta charset="utf-8"><title>Returning to the merchant</title>%s</head>
				<body>
				<p id="status">%s</p>
				<form id="%s" method="post" action="%s">
				%s<button id="continue" type="submit">Continue</button>
				</form>
				<script>document.getElementById('%s').submit();</script>
				</body></html>
				""".formatted(STYLE, escape(message), formId, escape(callbackUrl), inputs, formId);
	}

	public static String escape(String value) {
		return HtmlUtils.htmlEscape(value == null ? "" : value);
	}

}
