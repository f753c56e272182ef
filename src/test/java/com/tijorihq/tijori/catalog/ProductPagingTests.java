package com.tijorihq.tijori.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import com.tijorihq.tijori.support.ApiClient;
import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

@IntegrationTest
class ProductPagingTests {

	@Autowired
	ApiClients clients;

	@Test
	void pagesCoverEveryProductExactlyOnceInCreationOrder() {
		ApiClient admin = this.clients.admin();
		List<String> created = new ArrayList<>();
		for (int i = 0; i < 7; i++) {
			created.add((String) CatalogApi.create(admin, CatalogApi.product(CatalogApi.uniqueName("Paging " + i),
					1000 + i)).get("id"));
		}
		String deleted = created.remove(3);
		admin.delete("/api/products/" + deleted).expectStatus().isNoContent();

		for (int size : List.of(1, 3, 4, 100)) {
			List<String> seen = CatalogApi.ids(CatalogApi.all(this.clients.anonymous(), size));
			assertThat(seen).as("size %d: no product twice", size).doesNotHaveDuplicates();
			assertThat(seen).as("size %d: every product of ours, in creation order", size)
				.containsSubsequence(created)
				.doesNotContain(deleted);
		}
	}

	@Test
	void aPageBeyondTheEndIsEmptyButCarriesTheTotal() {
		Map<String, Object> page = CatalogApi.page(this.clients.anonymous(), 1_000_000, 100);
		assertThat((List<?>) page.get("items")).isEmpty();
		assertThat(((Number) page.get("total")).longValue()).isPositive();
		assertThat(CatalogApi.page(this.clients.anonymous(), 0, 20)).containsEntry("page", 0).containsEntry("size", 20);
	}

}
