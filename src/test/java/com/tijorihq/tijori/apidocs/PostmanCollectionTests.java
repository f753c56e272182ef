package com.tijorihq.tijori.apidocs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;

import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Postman collection in {@code docs/postman/} follows the contract: every request is a contract route that the
 * API description documents, and every request to a feature that is already routed hits an existing route.
 */
@IntegrationTest
class PostmanCollectionTests {

	private static final Path POSTMAN = Path.of("docs/postman");

	private static final ObjectMapper json = new ObjectMapper();

	@Autowired
	ApiClients clients;

	@Autowired
	ConfigurableApplicationContext context;

	@Test
	void everyRequestIsAContractRouteThatExistsOnceItsFeatureIsRouted() throws Exception {
		List<String> requests = requests(collection());
		Set<String> live = Routes.of(this.context);
		JsonNode docs = json.readTree(this.clients.anonymous()
			.get("/v3/api-docs")
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody());
		Set<String> documented = ApiDocsTests.documented(docs);
		assertThat(requests).isNotEmpty().allSatisfy(request -> {
			assertThat(ApiContract.ROUTES).as("API.md route").contains(request);
			assertThat(documented).as("documented in /v3/api-docs").contains(request);
			String feature = feature(request);
			if (live.stream().anyMatch(route -> feature(route).equals(feature))) {
				assertThat(live).as("%s is routed, so this request must hit a route", feature).contains(request);
			}
		});
	}

	@Test
	void runsTheWholeCheckoutFlowInOrder() throws Exception {
		assertThat(requests(collection())).containsSubsequence("GET /api/auth/csrf", "POST /api/auth/register",
				"GET /api/auth/me", "GET /api/products", "POST /api/orders", "POST /sandbox/razorpay/pay",
				"POST /api/orders/{}/verify", "GET /api/orders/{}", "POST /api/auth/logout");
	}

	@Test
	void sendsTheXsrfHeaderOnUnsafeRequestsAndUsesTheEnvironmentsBaseUrl() throws Exception {
		JsonNode collection = collection();
		assertThat(collection.at("/info/schema").asText())
			.isEqualTo("https://schema.getpostman.com/json/collection/v2.1.0/collection.json");
		String preRequest = script(collection, "prerequest");
		assertThat(preRequest).contains("pm.cookies.get('XSRF-TOKEN')", "X-XSRF-TOKEN", "'POST'", "'PUT'", "'PATCH'",
				"'DELETE'");
		List<JsonNode> items = new ArrayList<>();
		collect(collection.path("item"), items);
		assertThat(items).allSatisfy(item -> {
			assertThat(item.at("/request/url/raw").asText()).startsWith("{{baseUrl}}/");
			assertThat(item.at("/request/header").findValuesAsText("key")).doesNotContain("Cookie");
		});
		JsonNode environment = json.readTree(POSTMAN.resolve("tijori.postman_environment.json").toFile());
		assertThat(environment.path("values").findValuesAsText("key")).contains("baseUrl");
	}

	private static JsonNode collection() throws Exception {
		return json.readTree(POSTMAN.resolve("tijori.postman_collection.json").toFile());
	}

	/** Each request as a {@link Routes#key}: {@code {{baseUrl}}} and the query dropped, variables anonymised. */
	private static List<String> requests(JsonNode collection) {
		List<JsonNode> items = new ArrayList<>();
		collect(collection.path("item"), items);
		return items.stream().map(item -> {
			String raw = item.at("/request/url/raw").asText().replace("{{baseUrl}}", "");
			String path = raw.split("\\?", 2)[0].replaceAll("\\{\\{[^}]+}}", "{}");
			return Routes.key(item.at("/request/method").asText(), path);
		}).toList();
	}

	private static void collect(JsonNode items, List<JsonNode> into) {
		for (JsonNode item : items) {
			if (item.has("request")) {
				into.add(item);
			}
			collect(item.path("item"), into);
		}
	}

	private static String script(JsonNode node, String listen) {
		for (JsonNode event : node.path("event")) {
			if (event.path("listen").asText().equals(listen)) {
				List<String> lines = new ArrayList<>();
				event.at("/script/exec").forEach(line -> lines.add(line.asText()));
				return String.join("\n", lines);
			}
		}
		return "";
	}

	/** {@code "POST /api/orders/{}/verify"} → {@code "/api/orders"}: the first two path segments. */
	private static String feature(String route) {
		String[] segments = route.substring(route.indexOf(' ') + 1).split("/");
		return "/" + segments[1] + (segments.length > 2 ? "/" + segments[2] : "");
	}

}
