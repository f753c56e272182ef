package com.tijorihq.tijori.checkout;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.SessionSynchronization;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.convert.MappingMongoConverter;
import org.springframework.test.util.ReflectionTestUtils;

import com.tijorihq.tijori.support.ApiClient;
import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;
import com.tijorihq.tijori.support.MongoCommandCounter;

import static com.tijorihq.tijori.checkout.CheckoutFixtures.line;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What one checkout costs in database commands, counted at the driver: the guarantees (Idempotency-Key, gateway
 * lease, outbox) ride on writes the request makes anyway, so a budget over the count keeps it from creeping up.
 */
@IntegrationTest
class CheckoutCostTests {

	@Autowired
	ApiClients clients;

	@Autowired
	MongoCommandCounter commands;

	@Autowired
	ReactiveMongoTemplate mongo;

	/** Tijori has no MongoDB transactions, so no command waits on a lookup for one (a Reactor error per command). */
	@Test
	void theTemplateNeverLooksForATransaction() {
		assertThat(ReflectionTestUtils.getField(this.mongo, "sessionSynchronization"))
			.isEqualTo(SessionSynchronization.NEVER);
	}

	/** An order's insert is written by {@link OrderDocumentWriter}, not by the reflective mapping. */
	@Test
	void ordersAreWrittenByTheirOwnWriter() {
		assertThat(((MappingMongoConverter) this.mongo.getConverter()).getCustomConversions()
			.hasCustomWriteTarget(OrderDocument.class, Document.class)).isTrue();
	}

	@Test
	void creatingAnOrderCostsTheSessionReadTheProductReadTheInsertAndOneUpdate() {
		CheckoutFixtures fixtures = new CheckoutFixtures(this.clients);
		ApiClient buyer = this.clients.customer();
		String product = fixtures.product(12_300);
		Map<String, Object> body = Map.of("items", List.of(line(product, 1)));
		// warm-up: indexes ensured, session established, one order paid
		JsonNode warmUp = buyer.post("/api/orders", body, Map.of("Idempotency-Key", "warm-up"))
			.expectStatus()
			.isCreated()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		buyer.post("/api/orders/" + warmUp.get("id").asText() + "/verify",
				CheckoutFixtures.verifyBody(fixtures.pay(warmUp, "success")))
			.expectStatus()
			.isOk();

		JsonNode created = buyer
			.post("/api/orders", body, Map.of("Idempotency-Key", "cost-1", MongoCommandCounter.HEADER, "create"))
			.expectStatus()
			.isCreated()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(created.get("gatewayOrderId").asText()).startsWith("order_");
		assertThat(this.commands.commands("create")).as("POST /api/orders")
			.containsExactly("find sessions", "find products", "insert orders", "findAndModify orders");

		buyer.post("/api/orders", body, Map.of("Idempotency-Key", "cost-1", MongoCommandCounter.HEADER, "replay"))
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.id")
			.isEqualTo(created.get("id").asText());
		assertThat(this.commands.commands("replay")).as("a replay of its Idempotency-Key")
			.containsExactly("find sessions", "find products", "insert orders", "find orders");

		// verify: the order read and one write recording the capture and the move to paid with its event (the
		// relay copies both events to the event log later, in batches, off the request path)
		JsonNode paid = fixtures.pay(created, "success");
		buyer.post("/api/orders/" + created.get("id").asText() + "/verify", CheckoutFixtures.verifyBody(paid),
				Map.of(MongoCommandCounter.HEADER, "verify"))
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("paid");
		assertThat(this.commands.commands("verify")).as("POST /api/orders/{id}/verify")
			.containsExactly("find sessions", "find orders", "findAndModify orders");

		buyer.exchange(org.springframework.http.HttpMethod.GET, "/api/orders/" + created.get("id").asText(), null,
				Map.of(MongoCommandCounter.HEADER, "get"))
			.expectStatus()
			.isOk();
		assertThat(this.commands.commands("get")).as("GET /api/orders/{id}")
			.containsExactly("find sessions", "find orders");
	}

}
