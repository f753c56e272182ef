package com.tijorihq.tijori.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.core.ParameterizedTypeReference;

import com.tijorihq.tijori.support.ApiClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Small helpers over the catalog's HTTP API for the tests. */
final class CatalogApi {

	static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	private CatalogApi() {
	}

	static String uniqueName(String what) {
		return what + " " + UUID.randomUUID();
	}

	static Map<String, Object> product(String name, long paise) {
		return Map.of("name", name, "description", "A test product", "price", Map.of("amount", paise,
				"currency", "INR"));
	}

	/** Creates a product as admin and returns its response body. */
	static Map<String, Object> create(ApiClient admin, Map<String, Object> body) {
		Map<String, Object> created = admin.post("/api/products", body)
			.expectStatus()
			.isCreated()
			.expectBody(JSON)
			.returnResult()
			.getResponseBody();
		assertThat(created).isNotNull();
		return created;
	}

	static Map<String, Object> page(ApiClient client, int page, int size) {
		return client.get("/api/products?page=" + page + "&size=" + size)
			.expectStatus()
			.isOk()
			.expectBody(JSON)
			.returnResult()
			.getResponseBody();
	}

	/** Every listed product, paging through with {@code size}; asserts each page's {@code total} agrees. */
	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> all(ApiClient client, int size) {
		List<Map<String, Object>> seen = new ArrayList<>();
		long total = -1;
		for (int page = 0;; page++) {
			Map<String, Object> body = page(client, page, size);
			assertThat(body.get("page")).isEqualTo(page);
			assertThat(body.get("size")).isEqualTo(size);
			long pageTotal = ((Number) body.get("total")).longValue();
			if (total >= 0) {
				assertThat(pageTotal).as("total is the same on every page").isEqualTo(total);
			}
			total = pageTotal;
			List<Map<String, Object>> items = (List<Map<String, Object>>) body.get("items");
			assertThat(items.size()).isLessThanOrEqualTo(size);
			seen.addAll(items);
			if (items.size() < size) {
				break;
			}
		}
		assertThat(seen).as("total matches the items seen across pages").hasSize((int) total);
		return seen;
	}

	static List<String> names(List<Map<String, Object>> products) {
		return products.stream().map(p -> (String) p.get("name")).toList();
	}

	static List<String> ids(List<Map<String, Object>> products) {
		return products.stream().map(p -> (String) p.get("id")).toList();
	}

}
