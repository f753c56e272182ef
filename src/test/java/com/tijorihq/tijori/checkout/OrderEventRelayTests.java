package com.tijorihq.tijori.checkout;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.http.HttpMethod;

import com.tijorihq.tijori.common.DueKey;
import com.tijorihq.tijori.support.ApiClient;
import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;
import com.tijorihq.tijori.support.TestData;

import static com.tijorihq.tijori.checkout.CheckoutFixtures.line;
import static com.tijorihq.tijori.checkout.CheckoutFixtures.verifyBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Checkout's outbox: every change reaches the event log through the relay, off the request path; a hand-over cut
 * short by a crash is repeated, once per change; and the relay, like every periodic job, finds its work through
 * the due keys, never by reading every order.
 */
@IntegrationTest
class OrderEventRelayTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	@Autowired
	ApiClients clients;

	@Autowired
	ReactiveMongoTemplate mongo;

	@Autowired
	OrderEventLog outbox;

	@Autowired
	Reconciler reconciler;

	@Autowired
	MeterRegistry meters;

	CheckoutFixtures fixtures;

	@BeforeEach
	void setUp() {
		this.fixtures = new CheckoutFixtures(this.clients);
	}

	@Test
	void theRelayHandsOverEveryChangeAndWhatACrashLeftPendingAndNothingTwice() {
		ApiClient buyer = this.clients.customer();
		String product = this.fixtures.product(25_000);
		JsonNode order = this.fixtures.createOrder(buyer, List.of(line(product, 1)));
		String id = order.get("id").asText();
		buyer.post("/api/orders/" + id + "/verify", verifyBody(this.fixtures.pay(order, "success")))
			.expectStatus()
			.isOk();
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(TestData.publishedEventStatuses(this.mongo, id)).containsExactly("CREATED",
					"PAID"));
		await().atMost(WAIT).untilAsserted(() -> assertThat(stored(id).get("relayDue")).isNull());
		assertThat(stored(id).getLong("eventsPublished")).isEqualTo(2L);

		// the instance died after writing the order and its `paid` outbox entry, before the hand-over
		this.mongo.remove(Query.query(Criteria.where("orderId").is(id).and("version").gt(1)), "order_events")
			.block(WAIT);
		this.mongo
			.updateFirst(Query.query(Criteria.where("publicId").is(id)),
					new Update().set("relayDue", DueKey.at(Instant.now().minusSeconds(60), id))
						.set("eventsPublished", 1L),
					OrderDocument.COLLECTION)
			.block(WAIT);
		assertThat(TestData.publishedEventStatuses(this.mongo, id)).containsExactly("CREATED");

		this.outbox.relay().block(WAIT);
		this.outbox.relay().block(WAIT);

		assertThat(TestData.publishedEventStatuses(this.mongo, id)).containsExactly("CREATED", "PAID");
		assertThat(stored(id).get("relayDue")).isNull();
		// and a reconnecting stream replays the relayed change, ending on it
		buyer
			.exchange(HttpMethod.GET, "/api/orders/" + id + "/events", null,
					Map.of("Accept", "text/event-stream", "Last-Event-ID", "1"))
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value(body -> assertThat(body).contains("id:2").contains("event:status").contains("\"status\":\"paid\""));
	}

	@Test
	void periodicJobsFindTheirWorkWithoutReadingEveryOrder() {
		ApiClient buyer = this.clients.customer();
		String product = this.fixtures.product(12_000);
		for (int i = 0; i < 3; i++) {
			this.fixtures.createOrder(buyer, List.of(line(product, 1)));
		}
		double before = fullScans();

		this.outbox.relay().block(WAIT);
		this.reconciler.sweep(Instant.now().plus(Duration.ofHours(1))).block(Duration.ofSeconds(60));
		this.outbox.relay().block(WAIT);

		assertThat(fullScans()).as("queries on orders that no index served").isEqualTo(before);
		// the count is real: a query on a field with no unique index is a scan, and is counted
		this.mongo.find(Query.query(Criteria.where("status").is("CREATED")).limit(1), Document.class,
				OrderDocument.COLLECTION).blockLast(WAIT);
		assertThat(fullScans()).isGreaterThan(before);
	}

	private double fullScans() {
		FunctionCounter counter = this.meters.find("tijori.embedded.full.scans")
			.tag("collection", OrderDocument.COLLECTION)
			.functionCounter();
		return (counter != null) ? counter.count() : 0;
	}

	private Document stored(String id) {
		return this.mongo.findOne(Query.query(Criteria.where("publicId").is(id)), Document.class,
				OrderDocument.COLLECTION)
			.block(WAIT);
	}

}
