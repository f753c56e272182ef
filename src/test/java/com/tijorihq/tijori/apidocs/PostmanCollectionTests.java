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
 * The Postman collection in {@code docs/postman/} follows the contract: it has a request for every public route of
 * the API description (everything outside the sandboxes), and every request it makes is a documented route that the
 * app really serves.
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
	void coversEveryPublicRouteAndMakesOnlyDocumentedRoutesTheAppServes() throws Exception {
		List<String> requests = requests(collection());
		Set<String> live = Routes.of(this.context);
		Set<String> documented = ApiDocsTests.documented(json.readTree(this.clients.anonymous()
			.get("/v3/api-docs")
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody()));
		List<String> publicRoutes = documented.stream().filter(route -> !route.contains(" /sandbox/")).toList();
		assertThat(publicRoutes).contains("POST /api/orders/{}/checkout", "POST /api/orders/{}/refunds",
				"GET /api/orders/{}/events", "GET /api/gateways", "POST /api/payments/{}/callback",
				"POST /api/webhooks/razorpay", "DELETE /api/products/{}");
		assertThat(requests).as("a request for every public route of the OpenAPI document")
			.containsAll(publicRoutes);
		assertThat(requests).allSatisfy(request -> {
			assertThat(documented).as("documented in /v3/api-docs").anyMatch(route -> serves(route, request));
			assertThat(live).as("routed by the app").anyMatch(route -> serves(route, request));
		});
	}

	/** Whether {@code route} takes {@code request}: same method, each segment equal or a path variable there. */
	private static boolean serves(String route, String request) {
		String[] routeParts = route.split("[ /]");
		String[] requestParts = request.split("[ /]");
		if (routeParts.length != requestParts.length) {
			return false;
		}
		for (int i = 0; i < routeParts.length; i++) {
			if (!routeParts[i].equals(requestParts[i]) && !routeParts[i].equals("{}")) {
				return false;
			}
		}
		return true;
	}

	@Test
	void runsTheWholeCheckoutFlowInOrder() throws Exception {
		assertThat(requests(collection())).containsSubsequence("GET /api/auth/csrf", "POST /api/auth/register",
				"GET /api/auth/me", "GET /api/products", "POST /api/orders", "POST /sandbox/razorpay/pay",
				"POST /api/orders/{}/verify", "GET /api/orders/{}", "GET /api/orders/{}/events",
				"POST /api/auth/logout", "POST /api/auth/login", "POST /api/products", "POST /api/orders/{}/refunds",
				"POST /api/auth/logout");
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
			// cookies and the XSRF header come from the cookie jar and the collection's script, never by hand
			assertThat(item.at("/request/header").findValuesAsText("key")).doesNotContain("Cookie", "X-XSRF-TOKEN");
		});
		JsonNode environment = json.readTree(POSTMAN.resolve("tijori.postman_environment.json").toFile());
		assertThat(environment.path("values").findValuesAsText("key")).contains("baseUrl", "adminEmail",
				"adminPassword", "razorpayWebhookSecret");
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

}
