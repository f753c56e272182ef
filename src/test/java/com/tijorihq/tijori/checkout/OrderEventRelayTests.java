package com.tijorihq.tijori.checkout;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.http.HttpMethod;

import com.tijorihq.tijori.support.ApiClient;
import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;
import com.tijorihq.tijori.support.TestData;

import static com.tijorihq.tijori.checkout.CheckoutFixtures.line;
import static com.tijorihq.tijori.checkout.CheckoutFixtures.verifyBody;
import static org.assertj.core.api.Assertions.assertThat;

/** Checkout's outbox: a hand-over to the status streams cut short by a crash is repeated, once per change. */
@IntegrationTest
class OrderEventRelayTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	@Autowired
	ApiClients clients;

	@Autowired
	ReactiveMongoTemplate mongo;

	@Autowired
	OrderEventLog outbox;

	CheckoutFixtures fixtures;

	@BeforeEach
	void setUp() {
		this.fixtures = new CheckoutFixtures(this.clients);
	}

	@Test
	void theRelayHandsOverWhatACrashLeftPendingAndNothingTwice() {
		ApiClient buyer = this.clients.customer();
		String product = this.fixtures.product(25_000);
		JsonNode order = this.fixtures.createOrder(buyer, List.of(line(product, 1)));
		String id = order.get("id").asText();
		buyer.post("/api/orders/" + id + "/verify", verifyBody(this.fixtures.pay(order, "success")))
			.expectStatus()
			.isOk();
		assertThat(TestData.publishedEventStatuses(this.mongo, id)).containsExactly("CREATED", "PAID");

		// the instance died after writing the order and its `paid` outbox entry, before the hand-over
		this.mongo.remove(Query.query(Criteria.where("orderId").is(id).and("version").gt(1)), "order_events")
			.block(WAIT);
		this.mongo
			.updateFirst(Query.query(Criteria.where("publicId").is(id)),
					new Update().set("eventsPending", true)
						.set("eventsPublished", 1L)
						.set("updatedAt", Date.from(Instant.now().minusSeconds(60))),
					OrderDocument.COLLECTION)
			.block(WAIT);
		assertThat(TestData.publishedEventStatuses(this.mongo, id)).containsExactly("CREATED");

		this.outbox.relay().block(WAIT);
		this.outbox.relay().block(WAIT);

		assertThat(TestData.publishedEventStatuses(this.mongo, id)).containsExactly("CREATED", "PAID");
		Document stored = this.mongo.findOne(Query.query(Criteria.where("publicId").is(id)), Document.class,
				OrderDocument.COLLECTION)
			.block(WAIT);
		assertThat(stored.getBoolean("eventsPending")).isFalse();
		// and a reconnecting stream replays the relayed change, ending on it
		buyer
			.exchange(HttpMethod.GET, "/api/orders/" + id + "/events", null,
					Map.of("Accept", "text/event-stream", "Last-Event-ID", "1"))
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value(body -> assertThat(body).contains("id:2").contains("event:status").contains("\"status\":\"paid\""));
	}

}
