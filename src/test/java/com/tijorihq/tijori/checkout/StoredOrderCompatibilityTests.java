package com.tijorihq.tijori.checkout;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

import com.tijorihq.tijori.support.ApiClient;
import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;

import static com.tijorihq.tijori.checkout.CheckoutFixtures.line;
import static org.assertj.core.api.Assertions.assertThat;

/** Orders stored before the fields this version added still read (no 500 for an existing database). */
@IntegrationTest
class StoredOrderCompatibilityTests {

	@Autowired
	ApiClients clients;

	@Autowired
	ReactiveMongoTemplate mongo;

	@Test
	void anOrderStoredWithoutTheNewerFieldsStillReads() {
		CheckoutFixtures fixtures = new CheckoutFixtures(this.clients);
		ApiClient buyer = this.clients.customer();
		JsonNode order = fixtures.createOrder(buyer, List.of(line(fixtures.product(13_300), 1)));
		String id = order.get("id").asText();
		this.mongo
			.updateFirst(Query.query(Criteria.where("publicId").is(id)),
					new Update().unset("revision").unset("eventsPublished").unset("idempotencyKey").unset("paidBy"),
					OrderDocument.COLLECTION)
			.block(Duration.ofSeconds(10));

		assertThat(fixtures.get(buyer, id).get("status").asText()).isEqualTo("created");
		buyer.get("/api/orders").expectStatus().isOk().expectBody().jsonPath("$.items[0].id").isEqualTo(id);
	}

}
