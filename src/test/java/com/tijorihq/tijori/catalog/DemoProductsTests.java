package com.tijorihq.tijori.catalog;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.env.MockEnvironment;

import com.tijorihq.tijori.common.Ids;
import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

@IntegrationTest
class DemoProductsTests {

	@Autowired
	ApiClients clients;

	@Autowired
	DemoProducts demoProducts;

	@Test
	void freshEmbeddedStartListsTheDemoProducts() {
		for (DemoProducts.Demo demo : DemoProducts.PRODUCTS) {
			assertThat(Ids.looksLike("prod_", demo.id())).as(demo.id()).isTrue();
			this.clients.anonymous()
				.get("/api/products/" + demo.id())
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.name").isEqualTo(demo.name())
				.jsonPath("$.price.amount").isEqualTo(demo.paise())
				.jsonPath("$.price.currency").isEqualTo("INR")
				.jsonPath("$.active").isEqualTo(true);
		}
	}

	@Test
	void seedingAgainEvenConcurrentlyAddsNothing() {
		long before = ((Number) CatalogApi.page(this.clients.anonymous(), 0, 1).get("total")).longValue();

		StepVerifier.create(Mono.when(this.demoProducts.run(), this.demoProducts.run()))
			.expectComplete()
			.verify(Duration.ofSeconds(20));

		List<Map<String, Object>> all = CatalogApi.all(this.clients.anonymous(), 100);
		assertThat(all).hasSize((int) before);
		List<String> demoIds = DemoProducts.PRODUCTS.stream().map(DemoProducts.Demo::id).toList();
		assertThat(CatalogApi.ids(all).stream().filter(demoIds::contains).toList())
			.containsExactlyInAnyOrderElementsOf(demoIds);
	}

	@Test
	void seedsOnlyTheEmbeddedDemoDatabaseOutsideProd() {
		assertThat(this.demoProducts.enabled()).isTrue();
		assertThat(new DemoProducts(null, new MockEnvironment().withProperty("MONGODB_URI", "mongodb://db:27017/x"))
			.enabled()).isFalse();
		MockEnvironment prod = new MockEnvironment();
		prod.setActiveProfiles("prod");
		DemoProducts inProd = new DemoProducts(null, prod);
		assertThat(inProd.enabled()).isFalse();
		// with no repository at all, running it proves it touches no database
		StepVerifier.create(inProd.run()).expectComplete().verify(Duration.ofSeconds(5));
	}

}
