package com.tijorihq.tijori.apidocs;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpMethod;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;

import com.tijorihq.tijori.support.ApiClient;
import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed and unsupported header values, sent to every operation of the OpenAPI document: never a 5xx, a problem
 * wherever Tijori speaks for itself, and nothing stored changes. Sent over a raw HTTP client, so the values reach
 * the server exactly as written (a Spring client would refuse to send an unsupported charset).
 */
@IntegrationTest
class HostileHeadersTests {

	private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

	/** Stored collections a request could change. */
	private static final List<String> COLLECTIONS = List.of("orders", "products", "users", "webhook_events",
			"sandbox_razorpay_orders", "sandbox_razorpay_payments", "sandbox_razorpay_refunds", "sandbox_paytm_orders",
			"sandbox_paytm_refunds", "sandbox_payu_transactions");

	/** One hostile header each (name, value); the request is otherwise one a logged-in admin may send. */
	private static final List<Map.Entry<String, String>> HOSTILE = List.of(
			Map.entry("Content-Type", "application/json; charset=utf-7"),
			Map.entry("Content-Type", "application/json; charset=no-such-charset"),
			Map.entry("Content-Type", "application/json; charset=\""),
			Map.entry("Content-Type", "application/json; charset=utf-16"),
			Map.entry("Content-Type", "/json"), Map.entry("Content-Type", "application/json;;;=;"),
			Map.entry("Content-Type", "application/x-www-form-urlencoded; charset=utf-7"),
			Map.entry("Accept", "application/json; q=nope"), Map.entry("Accept", "///"),
			Map.entry("Accept", "image/png"), Map.entry("Accept", "application/json; charset=utf-7"),
			Map.entry("Cookie", "SESSION=%zz%; XSRF-TOKEN=\"unterminated; =novalue; ;;"),
			Map.entry("Last-Event-ID", "9".repeat(40)), Map.entry("Last-Event-ID", "-1"),
			Map.entry("Last-Event-ID", "x".repeat(6_000)), Map.entry("Idempotency-Key", "k".repeat(5_000)),
			Map.entry("Idempotency-Key", "caf\u00e9 \u00e0 la carte"), Map.entry("Idempotency-Key", ""),
			Map.entry("If-None-Match", "\"unterminated"), Map.entry("Range", "bytes=oops"),
			Map.entry("Accept-Language", ";;q=2,,"), Map.entry("X-Forwarded-For", "not an ip, ::zz"));

	@Autowired
	ApiClients clients;

	@Autowired
	ReactiveMongoTemplate mongo;

	@Test
	void malformedHeadersOnEveryDocumentedRouteAreProblemsAndChangeNothing() throws Exception {
		ApiClient admin = this.clients.admin();
		String product = this.clients.product(25_000);
		ApiClient buyer = this.clients.customer();
		String order = buyer.post("/api/orders", Map.of("items", List.of(Map.of("productId", product, "quantity", 1))))
			.expectStatus()
			.isCreated()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody()
			.get("id")
			.asText();
		List<Operation> operations = operations(product, order);
		assertThat(operations).hasSizeGreaterThan(40);

		Map<String, Long> before = counts();
		List<String> failures = new ArrayList<>();
		for (Map.Entry<String, String> hostile : HOSTILE) {
			for (Operation operation : operations) {
				// the buyer owns the order; log-out goes last so the session serves every other operation
				ApiClient client = operation.path().contains("/orders/") ? buyer : admin;
				Answer answer = send(client, operation, hostile);
				// the sandboxes' gateway-shaped routes answer in the gateway's own error format (or HTML page)
				boolean problemExpected = !operation.path().startsWith("/sandbox/")
						|| operation.path().matches(".*/_(faults|late_authorization|process_refunds)");
				if (answer.status() >= 500 || (answer.status() >= 400 && problemExpected && !answer.problem())) {
					failures.add(operation + " with " + hostile.getKey() + ": " + abbreviate(hostile.getValue())
							+ " -> " + answer);
				}
			}
		}
		assertThat(failures).as("requests answered with a 5xx, or a 4xx that is no problem").isEmpty();
		assertThat(counts()).as("documents per collection").isEqualTo(before);
		// (a header a route does not read, e.g. a bad Range, is no reason to refuse it: the product's DELETE ran)
		buyer.get("/api/orders/" + order).expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("created");
	}

	@Test
	void aJsonBodyInACharsetOtherThanUtf8IsRefusedWith415() {
		ApiClient buyer = this.clients.customer();
		for (String type : List.of("application/json; charset=utf-7", "application/json; charset=utf-16",
				"application/json; charset=no-such-charset")) {
			Answer answer = send(buyer, new Operation("POST", "/api/orders"), Map.entry("Content-Type", type));
			assertThat(answer.status()).as(type).isEqualTo(415);
			assertThat(answer.body()).as(type).contains("\"code\":\"unsupported_media_type\"");
		}
		buyer.get("/api/orders").expectStatus().isOk().expectBody().jsonPath("$.total").isEqualTo(0);
	}

	@Test
	void anUnparseableAcceptIs400AndAnUnsatisfiableOneIs406BeforeAnythingChanges() {
		ApiClient admin = this.clients.admin();
		String product = this.clients.product(30_000);
		Operation delete = new Operation("DELETE", "/api/products/" + product);
		assertThat(send(admin, delete, Map.entry("Accept", "///")).status()).isEqualTo(400);
		assertThat(send(admin, delete, Map.entry("Accept", "image/png")).status()).isEqualTo(406);
		admin.get("/api/products/" + product).expectStatus().isOk();
	}

	/** Every documented operation, path variables filled with ids that exist where one is at hand. */
	private List<Operation> operations(String product, String order) throws Exception {
		List<Operation> operations = new ArrayList<>();
		List<Operation> last = new ArrayList<>();
		for (Iterator<Map.Entry<String, JsonNode>> paths = ApiDocsTests.apiDocs(this.clients).path("paths")
			.fields(); paths.hasNext();) {
			Map.Entry<String, JsonNode> path = paths.next();
			String concrete = path.getKey()
				.replace("/api/products/{id}", "/api/products/" + product)
				.replace("/api/orders/{id}", "/api/orders/" + order)
				.replace("{gateway}", "razorpay")
				.replaceAll("\\{[^}]*}", "pay_00000000000001");
			path.getValue().fieldNames().forEachRemaining(method -> {
				if (METHODS.contains(method)) {
					Operation operation = new Operation(method.toUpperCase(), concrete);
					(concrete.equals("/api/auth/logout") ? last : operations).add(operation);
				}
			});
		}
		operations.addAll(last);
		return operations;
	}

	private Answer send(ApiClient client, Operation operation, Map.Entry<String, String> hostile) {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("Content-Type", "application/json");
		headers.put("Accept", "application/json, application/problem+json, text/event-stream, text/html, */*;q=0.1");
		StringBuilder cookies = new StringBuilder();
		client.cookies().forEach((name, value) -> cookies.append(name).append('=').append(value).append("; "));
		headers.put("Cookie", cookies.toString());
		if (client.cookie("XSRF-TOKEN") != null) {
			headers.put("X-XSRF-TOKEN", client.cookie("XSRF-TOKEN"));
		}
		headers.merge(hostile.getKey(), hostile.getValue(),
				(mine, theirs) -> hostile.getKey().equals("Cookie") ? theirs + "; " + mine : theirs);
		boolean hasBody = !operation.method().equals("GET") && !operation.method().equals("DELETE");
		HttpClient http = HttpClient.create(ConnectionProvider.newConnection())
			.responseTimeout(Duration.ofSeconds(20))
			.headers(h -> headers.forEach(h::set));
		return http.request(HttpMethod.valueOf(operation.method()))
			.uri(this.clients.baseUrl() + operation.path())
			.send(hasBody ? ByteBufFlux.fromString(Mono.just("{}")) : ByteBufFlux.fromString(Mono.empty()))
			.responseSingle((response, body) -> body.asString(StandardCharsets.UTF_8)
				.defaultIfEmpty("")
				// an event stream that opened stays open: its status is all this test needs
				.timeout(Duration.ofSeconds(1), Mono.just(""))
				.map(text -> new Answer(response.status().code(),
						String.valueOf(response.responseHeaders().get("Content-Type")), text)))
			// a connection closed with no answer is as wrong as a 5xx
			.onErrorResume(ex -> Mono.just(new Answer(599, "none", ex.toString())))
			.block(Duration.ofSeconds(30));
	}

	private Map<String, Long> counts() {
		Map<String, Long> counts = new LinkedHashMap<>();
		for (String collection : COLLECTIONS) {
			counts.put(collection,
					this.mongo.getCollection(collection).flatMap(c -> Mono.from(c.countDocuments(new Document())))
						.block(Duration.ofSeconds(10)));
		}
		return counts;
	}

	private static String abbreviate(String value) {
		return (value.length() > 40) ? value.substring(0, 40) + "…(" + value.length() + ")" : value;
	}

	private record Operation(String method, String path) {

		@Override
		public String toString() {
			return this.method + " " + this.path;
		}

	}

	private record Answer(int status, String contentType, String body) {

		boolean problem() {
			return this.contentType.startsWith("application/problem+json");
		}

		@Override
		public String toString() {
			return this.status + " " + this.contentType + " " + abbreviate(this.body);
		}

	}

}
