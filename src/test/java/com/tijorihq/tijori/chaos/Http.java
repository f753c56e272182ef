package com.tijorihq.tijori.chaos;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A browser-like JSON client over real HTTP: its own cookie jar, and {@code X-XSRF-TOKEN} echoed from the
 * {@code XSRF-TOKEN} cookie on unsafe requests. Without a jar it is the gateway's page posting back cross-site.
 */
final class Http {

	static final ObjectMapper JSON = new ObjectMapper();

	private final HttpClient client;

	private final CookieManager cookies;

	Http(boolean withCookies) {
		this.cookies = withCookies ? new CookieManager(null, CookiePolicy.ACCEPT_ALL) : null;
		HttpClient.Builder builder = HttpClient.newBuilder()
			.connectTimeout(Duration.ofSeconds(3))
			.followRedirects(HttpClient.Redirect.NEVER)
			.version(HttpClient.Version.HTTP_1_1);
		if (this.cookies != null) {
			builder.cookieHandler(this.cookies);
		}
		this.client = builder.build();
	}

	/** An answer; {@code status} 0 when there was none (refused, reset, timed out). */
	record Answer(int status, String body, String location) {

		JsonNode json() {
			try {
				return (this.body == null || this.body.isEmpty()) ? JSON.nullNode() : JSON.readTree(this.body);
			}
			catch (IOException ex) {
				return JSON.nullNode();
			}
		}

		boolean ok() {
			return this.status >= 200 && this.status < 300;
		}

		/** No answer, or one that says try again later (a 409 "…_in_progress" asks to retry shortly). */
		boolean transientFailure() {
			return this.status == 0 || this.status == 502 || this.status == 503 || this.status == 504
					|| this.status == 409 && this.body != null && this.body.contains("_in_progress");
		}

	}

	Answer json(String method, String url, Object body, Map<String, String> headers) {
		try {
			String text = (body == null) ? "" : (body instanceof String s) ? s : JSON.writeValueAsString(body);
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
				.timeout(Duration.ofSeconds(15))
				.method(method, (body == null) ? HttpRequest.BodyPublishers.noBody()
						: HttpRequest.BodyPublishers.ofString(text));
			if (body != null) {
				request.header("Content-Type", "application/json");
			}
			return send(method, request, headers);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	Answer form(String url, Map<String, String> fields) {
		String text = fields.entrySet()
			.stream()
			.map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
			.collect(Collectors.joining("&"));
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(15))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(text));
		return send("POST", request, Map.of());
	}

	private Answer send(String method, HttpRequest.Builder request, Map<String, String> headers) {
		headers.forEach(request::header);
		if (this.cookies != null && !"GET".equals(method)) {
			this.cookies.getCookieStore()
				.getCookies()
				.stream()
				.filter(c -> c.getName().equals("XSRF-TOKEN"))
				.findFirst()
				.ifPresent(c -> request.header("X-XSRF-TOKEN", c.getValue()));
		}
		try {
			HttpResponse<String> response = this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
			return new Answer(response.statusCode(), response.body(),
					response.headers().firstValue("Location").orElse(null));
		}
		catch (IOException ex) {
			return new Answer(0, String.valueOf(ex), null);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Answer(0, "interrupted", null);
		}
	}

	private static String enc(String value) {
		return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
	}

}
