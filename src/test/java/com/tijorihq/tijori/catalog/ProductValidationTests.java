package com.tijorihq.tijori.catalog;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

import com.tijorihq.tijori.support.ApiClient;
import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

@IntegrationTest
class ProductValidationTests {

	private static final String NAME = "\"name\":\"MARKER\"";

	private static final String PRICE = "\"price\":{\"amount\":49900,\"currency\":\"INR\"}";

	/** One admin session for the whole class: logging in once per case would only add hashing time. */
	private static ApiClient admin;

	@Autowired
	ApiClients clients;

	private ApiClient admin() {
		if (admin == null) {
			admin = this.clients.admin();
		}
		return admin;
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
			{NAME,"price":{"amount":-1}}                         | price.amount
			{NAME,"price":{"amount":0}}                          | price.amount
			{NAME,"price":{"amount":99}}                         | price.amount
			{NAME,"price":{"amount":100.5}}                      | price.amount
			{NAME,"price":{"amount":100.0}}                      | price.amount
			{NAME,"price":{"amount":1e3}}                        | price.amount
			{NAME,"price":{"amount":1000000000001}}              | price.amount
			{NAME,"price":{"amount":9223372036854775808}}        | price.amount
			{NAME,"price":{"amount":"49900"}}                    | price.amount
			{NAME,"price":{"amount":true}}                       | price.amount
			{NAME,"price":{"amount":null}}                       | price.amount
			{NAME,"price":{}}                                    | price.amount
			{NAME,"price":{"amount":49900,"currency":"USD"}}     | price.currency
			{NAME,"price":{"amount":49900,"currency":"XYZ"}}     | price.currency
			{NAME,"price":{"amount":49900,"currency":"inr"}}     | price.currency
			{NAME,"price":{"amount":49900,"currency":356}}       | price.currency
			{NAME,"price":{"amount":49900,"discount":10}}        | price.discount
			{NAME,"price":499}                                   | price
			{NAME,"price":"₹499"}                                | price
			{NAME}                                               | price
			{NAME,"price":null}                                  | price
			{NAME,PRICE,"colour":"red"}                          | colour
			{NAME,PRICE,"active":"yes"}                          | active
			{NAME,PRICE,"description":42}                        | description
			{NAME,PRICE,"description":"D2001"}                   | description
			{PRICE}                                              | name
			{"name":null,PRICE}                                  | name
			{"name":"   ",PRICE}                                 | name
			{"name":"N201",PRICE}                                | name
			{"name":7,PRICE}                                     | name
			""")
	void refusesInvalidProductsAndStoresNothing(String template, String field) {
		ApiClient admin = admin();
		String marker = "Invalid " + UUID.randomUUID();
		String body = template.replace("NAME", NAME)
			.replace("PRICE", PRICE)
			.replace("MARKER", marker)
			.replace("D2001", "d".repeat(2001))
			.replace("N201", "n".repeat(201));
		long before = total(admin);

		admin.post("/api/products", body)
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status").isEqualTo(400)
			.jsonPath("$.type").exists()
			.jsonPath("$.title").exists()
			.jsonPath("$.detail").exists()
			.jsonPath("$.errors[0].field").isEqualTo(field)
			.jsonPath("$.errors[0].message").isNotEmpty();

		assertThat(total(admin)).isEqualTo(before);
		assertThat(CatalogApi.names(CatalogApi.all(admin, 100))).doesNotContain(marker);
	}

	@Test
	void acceptsTheBoundsAndDefaultsTheCurrency() {
		ApiClient admin = admin();
		for (long amount : List.of(100L, 1_000_000_000_000L)) {
			String name = "n".repeat(199) + amount % 10;
			Map<String, Object> created = CatalogApi.create(admin,
					Map.of("name", name, "description", "d".repeat(2000), "price", Map.of("amount", amount)));
			assertThat(created.get("name")).isEqualTo(name);
			Map<?, ?> price = (Map<?, ?>) created.get("price");
			assertThat(((Number) price.get("amount")).longValue()).isEqualTo(amount);
			assertThat(price.get("currency")).isEqualTo("INR");
			assertThat(created.get("active")).isEqualTo(true);
		}
		Map<String, Object> blank = CatalogApi.create(admin, Map.of("name", "x", "description", "   ", "price",
				Map.of("amount", 100)));
		assertThat(blank).containsEntry("description", null);
	}

	@Test
	void refusesBodiesThatAreNotJsonObjectsAndStoresNothing() {
		ApiClient admin = admin();
		long before = total(admin);
		String valid = "{\"name\":\"Not JSON " + UUID.randomUUID() + "\",\"price\":{\"amount\":49900}}";

		admin.exchange(HttpMethod.POST, "/api/products", null, Map.of("Content-Type", "text/plain"))
			.expectStatus()
			.isEqualTo(415);
		admin.raw()
			.post()
			.uri("/api/products")
			.headers(h -> {
				admin.cookies().forEach((k, v) -> h.add("Cookie", k + "=" + v));
				h.set("X-XSRF-TOKEN", admin.cookie("XSRF-TOKEN"));
			})
			.contentType(MediaType.TEXT_PLAIN)
			.bodyValue(valid)
			.exchange()
			.expectStatus()
			.isEqualTo(415)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.code").isEqualTo("unsupported_media_type");
		for (String malformed : List.of("{\"name\":", "{\"name\":\"x\",}", "not json", "{} {}", "[]", "\"x\"")) {
			admin.post("/api/products", malformed)
				.expectStatus()
				.isBadRequest()
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.status").isEqualTo(400);
		}
		admin.exchange(HttpMethod.POST, "/api/products", null, Map.of("Content-Type", "application/json"))
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.code").isEqualTo("missing_body");

		assertThat(total(admin)).isEqualTo(before);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			page=-1          | page
			page=abc         | page
			page=1.5         | page
			size=0           | size
			size=101         | size
			size=abc         | size
			size=-5          | size
			page=0&size=     | size
			""")
	void refusesBadPaging(String query, String field) {
		this.clients.anonymous()
			.get("/api/products?" + query)
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.errors[0].field").isEqualTo(field)
			.jsonPath("$.errors[0].message").isNotEmpty();
	}

	private static long total(ApiClient client) {
		return ((Number) CatalogApi.page(client, 0, 1).get("total")).longValue();
	}

}
