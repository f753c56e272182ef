package com.tijorihq.tijori.support;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec;

/**
 * A browser-like client over real HTTP: keeps the cookies the server sets (SESSION, XSRF-TOKEN) and echoes the
 * XSRF token on unsafe requests, as the storefront does. Calls to a sandbox's control endpoints carry the sandbox
 * key, as the operator's (tests play the operator there).
 */
public class ApiClient {

	/** The test profile's sandbox key: the operator's, which the sandboxes' control endpoints require. */
	public static final String SANDBOX_KEY = "tijori_sandbox_secret";

	private static final Pattern CONTROL = Pattern.compile("/sandbox/[a-z]+/_(faults|late_authorization|process_refunds)");

	private final Map<String, String> cookies = new ConcurrentHashMap<>();

	private final WebTestClient client;

	private boolean sendCsrf = true;

	ApiClient(int port) {
		// a fresh connection per request: the 413 test makes the server close a connection mid-upload, and a pooled
		// client could otherwise hand that dead connection to the next test
		this.client = WebTestClient
			.bindToServer(new ReactorClientHttpConnector(HttpClient.create(ConnectionProvider.newConnection())))
			.baseUrl("http://127.0.0.1:" + port)
			.filter((request, next) -> next.exchange(request).doOnNext(response -> remember(response.cookies())))
			.filter((request, next) -> next.exchange(CONTROL.matcher(request.url().getPath()).matches()
					? ClientRequest.from(request).header("X-Sandbox-Key", SANDBOX_KEY).build() : request))
			.responseTimeout(Duration.ofSeconds(30))
			.codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(4 * 1024 * 1024))
			.build();
	}

	public WebTestClient raw() {
		return this.client;
	}

	public Map<String, String> cookies() {
		return this.cookies;
	}

	public String cookie(String name) {
		return this.cookies.get(name);
	}

	/** Whether unsafe requests carry {@code X-XSRF-TOKEN} (true by default). */
	public ApiClient withoutCsrf() {
		this.sendCsrf = false;
		return this;
	}

	public ResponseSpec get(String path) {
		return exchange(HttpMethod.GET, path, null, Map.of());
	}

	public ResponseSpec post(String path, Object body) {
		return exchange(HttpMethod.POST, path, body, Map.of());
	}

	public ResponseSpec post(String path, Object body, Map<String, String> headers) {
		return exchange(HttpMethod.POST, path, body, headers);
	}

	public ResponseSpec patch(String path, Object body) {
		return exchange(HttpMethod.PATCH, path, body, Map.of());
	}

	public ResponseSpec delete(String path) {
		return exchange(HttpMethod.DELETE, path, null, Map.of());
	}

	/** Any request; a {@code String} body is sent as is (for malformed JSON), anything else as JSON. */
	public ResponseSpec exchange(HttpMethod method, String path, Object body, Map<String, String> headers) {
		boolean unsafe = method != HttpMethod.GET && method != HttpMethod.HEAD;
		if (unsafe && this.sendCsrf && !this.cookies.containsKey("XSRF-TOKEN")) {
			fetchCsrf();
		}
		WebTestClient.RequestBodySpec spec = this.client.method(method).uri(path).headers(h -> {
			this.cookies.forEach((k, v) -> h.add("Cookie", k + "=" + v));
			if (unsafe && this.sendCsrf && this.cookies.containsKey("XSRF-TOKEN")) {
				h.set("X-XSRF-TOKEN", this.cookies.get("XSRF-TOKEN"));
			}
			headers.forEach(h::set);
		});
		if (body == null) {
			return spec.exchange();
		}
		if (!headers.containsKey("Content-Type")) {
			spec = spec.contentType(MediaType.APPLICATION_JSON);
		}
		return spec.bodyValue(body).exchange();
	}

	private void fetchCsrf() {
		get("/api/auth/csrf").expectStatus().isNoContent();
	}

	private void remember(org.springframework.util.MultiValueMap<String, ResponseCookie> set) {
		set.forEach((name, values) -> {
			List<ResponseCookie> list = values;
			ResponseCookie last = list.get(list.size() - 1);
			if (last.getMaxAge().isZero() || last.getValue().isEmpty()) {
				this.cookies.remove(name);
			}
			else {
				this.cookies.put(name, last.getValue());
			}
		});
	}

}
