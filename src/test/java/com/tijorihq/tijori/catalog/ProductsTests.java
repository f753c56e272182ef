package com.tijorihq.tijori.catalog;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

import com.tijorihq.tijori.support.ApiClient;
import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;

import static com.tijorihq.tijori.catalog.CatalogApi.JSON;
import static org.assertj.core.api.Assertions.assertThat;

@IntegrationTest
class ProductsTests {

	@Autowired
	ApiClients clients;

	@Autowired
	ProductCatalog catalog;

	@Test
	void adminCreatesReadsPatchesListsAndDeletesAProduct() {
		ApiClient admin = this.clients.admin();
		ApiClient anyone = this.clients.anonymous();
		String name = CatalogApi.uniqueName("Masala Chai");
		String id = admin.post("/api/products", Map.of("name", "  " + name + "  ", "description", "Assam CTC with spices",
				"price", Map.of("amount", 24900)))
			.expectStatus()
			.isCreated()
			.expectHeader()
			.valueMatches("Location", "/api/products/prod_[0-9A-Za-z]{20}")
			.expectBody()
			.jsonPath("$.id").value(v -> assertThat((String) v).matches("prod_[0-9A-Za-z]{20}"))
			.jsonPath("$.name").isEqualTo(name)
			.jsonPath("$.description").isEqualTo("Assam CTC with spices")
			.jsonPath("$.price.amount").isEqualTo(24900)
			.jsonPath("$.price.currency").isEqualTo("INR")
			.jsonPath("$.active").isEqualTo(true)
			.jsonPath("$._id").doesNotExist()
			.jsonPath("$.version").doesNotExist()
			.returnResult()
			.getResponseHeaders()
			.getLocation()
			.getPath()
			.substring("/api/products/".length());

		anyone.get("/api/products/" + id)
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.id").isEqualTo(id)
			.jsonPath("$.name").isEqualTo(name);

		admin.patch("/api/products/" + id, Map.of("price", Map.of("amount", 19900, "currency", "INR"), "active", false))
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.price.amount").isEqualTo(19900)
			.jsonPath("$.active").isEqualTo(false)
			.jsonPath("$.name").isEqualTo(name)
			.jsonPath("$.description").isEqualTo("Assam CTC with spices");

		List<Map<String, Object>> listed = CatalogApi.all(anyone, 100);
		assertThat(listed).filteredOn(p -> id.equals(p.get("id")))
			.singleElement()
			.satisfies(p -> {
				assertThat(p.get("name")).isEqualTo(name);
				assertThat(p.get("active")).isEqualTo(false);
				assertThat(p.get("price")).isEqualTo(Map.of("amount", 19900, "currency", "INR"));
			});

		admin.delete("/api/products/" + id).expectStatus().isNoContent();
		anyone.get("/api/products/" + id)
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		admin.delete("/api/products/" + id).expectStatus().isNotFound();
		admin.patch("/api/products/" + id, Map.of("active", true)).expectStatus().isNotFound();
		assertThat(CatalogApi.ids(CatalogApi.all(anyone, 100))).doesNotContain(id);
	}

	@Test
	void patchChangesOnlyTheFieldsSent() {
		ApiClient admin = this.clients.admin();
		String name = CatalogApi.uniqueName("Kolhapuri Chappal");
		String id = (String) CatalogApi.create(admin, CatalogApi.product(name, 149900)).get("id");

		admin.patch("/api/products/" + id, Map.of("name", " Kolhapuri Chappal, size 8 "))
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.name").isEqualTo("Kolhapuri Chappal, size 8")
			.jsonPath("$.description").isEqualTo("A test product")
			.jsonPath("$.price.amount").isEqualTo(149900)
			.jsonPath("$.active").isEqualTo(true);

		// an empty object changes nothing; a null description removes it
		admin.patch("/api/products/" + id, Map.of()).expectStatus().isOk().expectBody()
			.jsonPath("$.name").isEqualTo("Kolhapuri Chappal, size 8");
		admin.patch("/api/products/" + id, "{\"description\":null}")
			.expectStatus()
			.isOk()
			.expectBody(JSON)
			.value(body -> assertThat(body).containsEntry("description", null)
				.containsEntry("name", "Kolhapuri Chappal, size 8"));
		this.clients.anonymous().get("/api/products/" + id).expectStatus().isOk().expectBody(JSON)
			.value(body -> assertThat(body).containsEntry("description", null)
				.containsEntry("price", Map.of("amount", 149900, "currency", "INR")));
	}

	@Test
	void patchRefusesNullForRequiredFieldsAndChangesNothing() {
		ApiClient admin = this.clients.admin();
		String name = CatalogApi.uniqueName("Pashmina Shawl");
		String id = (String) CatalogApi.create(admin, CatalogApi.product(name, 899900)).get("id");

		admin.patch("/api/products/" + id, "{\"name\":null,\"price\":null,\"active\":null,\"description\":\"new\"}")
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.errors[0].field").isEqualTo("active")
			.jsonPath("$.errors[1].field").isEqualTo("name")
			.jsonPath("$.errors[2].field").isEqualTo("price")
			.jsonPath("$.errors[0].message").isEqualTo("must not be null");
		admin.patch("/api/products/" + id, Map.of("name", "   "))
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.errors[0].field").isEqualTo("name");
		admin.patch("/api/products/" + id, Map.of("price", Map.of("amount", 99)))
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.errors[0].field").isEqualTo("price.amount");
		admin.patch("/api/products/" + id, Map.of("active", "yes"))
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.errors[0].field").isEqualTo("active");
		admin.patch("/api/products/" + id, Map.of("colour", "red"))
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.errors[0].field").isEqualTo("colour")
			.jsonPath("$.errors[0].message").isEqualTo("unknown field");
		admin.patch("/api/products/" + id, "[1,2]").expectStatus().isBadRequest();

		this.clients.anonymous().get("/api/products/" + id).expectStatus().isOk().expectBody()
			.jsonPath("$.name").isEqualTo(name)
			.jsonPath("$.description").isEqualTo("A test product")
			.jsonPath("$.price.amount").isEqualTo(899900)
			.jsonPath("$.active").isEqualTo(true);
	}

	@Test
	void customersAndAnonymousCannotWriteAndNothingChanges() {
		ApiClient admin = this.clients.admin();
		String name = CatalogApi.uniqueName("Terracotta Planter");
		String id = (String) CatalogApi.create(admin, CatalogApi.product(name, 59900)).get("id");
		long total = ((Number) CatalogApi.page(admin, 0, 1).get("total")).longValue();

		ApiClient customer = this.clients.customer();
		ApiClient anonymous = this.clients.anonymous();
		String intruder = CatalogApi.uniqueName("Intruder");
		for (ApiClient client : List.of(customer, anonymous)) {
			int expected = (client == customer) ? 403 : 401;
			client.post("/api/products", CatalogApi.product(intruder, 100))
				.expectStatus()
				.isEqualTo(expected)
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.status").isEqualTo(expected);
			client.patch("/api/products/" + id, Map.of("name", intruder))
				.expectStatus()
				.isEqualTo(expected)
				.expectBody()
				.jsonPath("$.status").isEqualTo(expected);
			client.delete("/api/products/" + id)
				.expectStatus()
				.isEqualTo(expected)
				.expectBody()
				.jsonPath("$.status").isEqualTo(expected);
		}

		admin.get("/api/products/" + id).expectStatus().isOk().expectBody().jsonPath("$.name").isEqualTo(name);
		List<Map<String, Object>> listed = CatalogApi.all(anonymous, 100);
		assertThat(listed).hasSize((int) total);
		assertThat(CatalogApi.names(listed)).doesNotContain(intruder);
	}

	@Test
	void adminWriteWithoutXsrfHeaderIsForbidden() {
		ApiClient admin = this.clients.admin();
		String name = CatalogApi.uniqueName("Sandalwood Soap");
		String id = (String) CatalogApi.create(admin, CatalogApi.product(name, 9900 + 100)).get("id");
		admin.withoutCsrf();
		admin.post("/api/products", CatalogApi.product(CatalogApi.uniqueName("No XSRF"), 100))
			.expectStatus()
			.isForbidden()
			.expectBody()
			.jsonPath("$.code").isEqualTo("csrf_token_invalid");
		admin.patch("/api/products/" + id, Map.of("active", false))
			.expectStatus()
			.isForbidden()
			.expectBody()
			.jsonPath("$.code").isEqualTo("csrf_token_invalid");
		admin.delete("/api/products/" + id)
			.expectStatus()
			.isForbidden()
			.expectBody()
			.jsonPath("$.code").isEqualTo("csrf_token_invalid");
		admin.get("/api/products/" + id).expectStatus().isOk().expectBody().jsonPath("$.active").isEqualTo(true);
		assertThat(CatalogApi.names(CatalogApi.all(admin, 100))).noneMatch(n -> n.startsWith("No XSRF"));
	}

	@Test
	void unknownAndMalformedIdsAreNotFound() {
		ApiClient admin = this.clients.admin();
		for (String id : List.of("prod_00000000000000000000", "prod_short", "prod_0000000000000000000!",
				"usr_00000000000000000000", "prod_000000000000000000000", "prod_é0000000000000000000", "PROD_00000000000000000000")) {
			admin.get("/api/products/" + id)
				.expectStatus()
				.isNotFound()
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.code").isEqualTo("not_found");
			admin.patch("/api/products/" + id, Map.of("active", false))
				.expectStatus()
				.isNotFound()
				.expectBody()
				.jsonPath("$.code").isEqualTo("not_found");
			admin.delete("/api/products/" + id)
				.expectStatus()
				.isNotFound()
				.expectBody()
				.jsonPath("$.code").isEqualTo("not_found");
		}
		admin.exchange(HttpMethod.PUT, "/api/products/prod_00000000000000000000", Map.of("active", true), Map.of())
			.expectStatus()
			.is4xxClientError()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void catalogOffersOnlyExistingActiveUndeletedProductsToCheckout() {
		ApiClient admin = this.clients.admin();
		Map<String, Object> active = CatalogApi.create(admin, CatalogApi.product(CatalogApi.uniqueName("Active"), 100));
		String activeId = (String) active.get("id");
		String inactiveId = (String) CatalogApi.create(admin, Map.of("name", CatalogApi.uniqueName("Inactive"),
				"price", Map.of("amount", 500), "active", false)).get("id");
		String deletedId = (String) CatalogApi.create(admin, CatalogApi.product(CatalogApi.uniqueName("Gone"), 700))
			.get("id");
		admin.delete("/api/products/" + deletedId).expectStatus().isNoContent();

		StepVerifier.create(this.catalog.findOrderable(List.of(activeId, inactiveId, deletedId,
				"prod_00000000000000000000", "not-an-id", activeId)))
			.assertNext(found -> {
				assertThat(found).containsOnlyKeys(activeId);
				Product product = found.get(activeId);
				assertThat(product.name()).isEqualTo(active.get("name"));
				assertThat(product.price().amount()).isEqualTo(100);
				assertThat(product.price().currency()).isEqualTo("INR");
				assertThat(product.active()).isTrue();
			})
			.expectComplete()
			.verify(Duration.ofSeconds(10));
		StepVerifier.create(this.catalog.findOrderable(List.of()))
			.expectNext(Map.of())
			.expectComplete()
			.verify(Duration.ofSeconds(10));
	}

}
