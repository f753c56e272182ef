package com.tijorihq.tijori.apidocs;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;

import com.tijorihq.tijori.support.ApiClient;
import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

@IntegrationTest
class ApiDocsTests {

	private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

	@Autowired
	ApiClients clients;

	@Autowired
	ConfigurableApplicationContext context;

	@Test
	void everyRouteOfTheRunningAppIsDocumented() throws Exception {
		Set<String> routes = Routes.of(this.context);
		assertThat(routes).as("routes found by visiting the RouterFunction beans")
			.contains("POST /api/auth/register", "GET /api/auth/me");
		assertThat(documented(apiDocs()))
			.as("every functional route must be described in src/main/resources/%s", ApiDocsConfiguration.CONTRACT)
			.containsAll(routes);
	}

	@Test
	void documentsTheWholeContractAndNothingElse() throws Exception {
		Set<String> documented = documented(apiDocs());
		assertThat(documented).containsAll(ApiContract.ROUTES);
		Set<String> extra = new TreeSet<>(documented);
		ApiContract.ROUTES.forEach(extra::remove);
		extra.removeAll(Routes.of(this.context));
		assertThat(extra).as("documented operations that are neither in API.md nor routed").isEmpty();
	}

	@Test
	void everyOperationIsDescribedAndEveryReferenceResolves() throws Exception {
		JsonNode docs = apiDocs();
		Set<String> operationIds = new TreeSet<>();
		docs.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
			if (METHODS.contains(op.getKey())) {
				JsonNode operation = op.getValue();
				String where = op.getKey().toUpperCase() + " " + path.getKey();
				assertThat(operation.path("summary").asText()).as("summary of %s", where).isNotBlank();
				assertThat(operation.path("tags")).as("tags of %s", where).isNotEmpty();
				assertThat(operation.path("responses").size()).as("responses of %s", where).isPositive();
				assertThat(operationIds.add(operation.path("operationId").asText()))
					.as("unique operationId of %s", where).isTrue();
			}
		}));
		List<String> refs = new ArrayList<>();
		collectRefs(docs, refs);
		assertThat(refs).isNotEmpty().allSatisfy(ref -> {
			assertThat(ref).startsWith("#/");
			assertThat(docs.at(ref.substring(1)).isMissingNode()).as("%s resolves", ref).isFalse();
		});
	}

	@Test
	void apiDocsAndSwaggerUiNeedNoLogin() {
		ApiClient anonymous = this.clients.anonymous();
		anonymous.get("/v3/api-docs")
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
			.expectBody()
			.jsonPath("$.openapi")
			.isEqualTo("3.0.1")
			.jsonPath("$.info.title")
			.isEqualTo("Tijori API");
		anonymous.get("/v3/api-docs.yaml").expectStatus().isOk();
		String location = anonymous.get("/swagger-ui.html")
			.expectStatus()
			.is3xxRedirection()
			.returnResult(Void.class)
			.getResponseHeaders()
			.getLocation()
			.getPath();
		anonymous.get(location)
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value(html -> assertThat(html).contains("Swagger UI"));
		anonymous.get("/v3/api-docs/swagger-config")
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.url")
			.isEqualTo("/v3/api-docs");
	}

	private JsonNode apiDocs() throws Exception {
		return apiDocs(this.clients);
	}

	/** The running app's OpenAPI document. */
	static JsonNode apiDocs(ApiClients clients) throws Exception {
		byte[] body = clients.anonymous()
			.get("/v3/api-docs")
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody();
		return new ObjectMapper().readTree(body);
	}

	/** The documented operations, as {@link Routes#key} strings. */
	static Set<String> documented(JsonNode docs) {
		Set<String> keys = new TreeSet<>();
		for (Iterator<Map.Entry<String, JsonNode>> paths = docs.path("paths").fields(); paths.hasNext();) {
			Map.Entry<String, JsonNode> path = paths.next();
			path.getValue().fieldNames().forEachRemaining(method -> {
				if (METHODS.contains(method)) {
					keys.add(Routes.key(method, path.getKey()));
				}
			});
		}
		return keys;
	}

	private static void collectRefs(JsonNode node, List<String> refs) {
		if (node.isObject()) {
			node.fields().forEachRemaining(field -> {
				if (field.getKey().equals("$ref")) {
					refs.add(field.getValue().asText());
				}
				else {
					collectRefs(field.getValue(), refs);
				}
			});
		}
		else if (node.isArray()) {
			node.forEach(child -> collectRefs(child, refs));
		}
	}

}
