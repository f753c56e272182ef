package com.tijorihq.tijori.events;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.UUID;

import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoOperations;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

import com.tijorihq.tijori.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The publisher port against the real (embedded) MongoDB: one stored record per change however often it is
 * published, in the stored shape earlier versions wrote and read.
 */
@IntegrationTest
class OrderEventStoreTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(15);

	@Autowired
	OrderEventPublisher publisher;

	@Autowired
	OrderEventStore store;

	@Autowired
	ReactiveMongoOperations mongo;

	@Test
	void publishingTheSameChangeAgainStoresNothingNew() {
		String order = newOrderId();
		Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		OrderStatusEvent paid = new OrderStatusEvent(order, 2, "paid", at, true);
		StepVerifier.create(this.publisher.publish(new OrderStatusEvent(order, 1, "created", at, false))
			.then(this.publisher.publish(paid))
			.then(this.publisher.publish(paid))
			// a relay after a crash repeats the change; what was stored first stands
			.then(this.publisher.publish(new OrderStatusEvent(order, 2, "paid", at.plusSeconds(5), true))))
			.expectComplete()
			.verify(TIMEOUT);

		StepVerifier.create(this.store.since(order, 0, 2))
			.expectNext(new OrderStatusEvent(order, 1, "created", at, false), paid)
			.expectComplete()
			.verify(TIMEOUT);
		StepVerifier.create(this.store.since(order, 1, 2)).expectNext(paid).expectComplete().verify(TIMEOUT);
	}

	@Test
	void recordsKeepTheirStoredFieldNamesAndUpperCaseStatus() {
		String order = newOrderId();
		StepVerifier.create(this.publisher.publish(new OrderStatusEvent(order, 1, "partially_refunded",
				Instant.now(), false)))
			.expectComplete()
			.verify(TIMEOUT);
		StepVerifier.create(this.mongo.find(Query.query(Criteria.where("orderId").is(order)), Document.class,
				"order_events"))
			.assertNext(stored -> {
				assertThat(stored.get("_id")).isInstanceOf(ObjectId.class);
				assertThat(stored.getLong("version")).isEqualTo(1L);
				assertThat(stored.getString("status")).isEqualTo("PARTIALLY_REFUNDED");
				assertThat(stored.get("at")).isNotNull();
				assertThat(stored.getBoolean("endsStream")).isFalse();
			})
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void recordsWrittenBeforeTheEndFlagStillEndStreamsOnTheirFinalStatuses() {
		String order = newOrderId();
		Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		StepVerifier.create(this.mongo.insert(legacy(order, 1, "ATTEMPTED", at), "order_events")
			.then(this.mongo.insert(legacy(order, 2, "PAID", at), "order_events")))
			.expectNextCount(1)
			.expectComplete()
			.verify(TIMEOUT);

		StepVerifier.create(this.store.since(order, 0, 2))
			.expectNext(new OrderStatusEvent(order, 1, "attempted", at, false))
			.expectNext(new OrderStatusEvent(order, 2, "paid", at, true))
			.expectComplete()
			.verify(TIMEOUT);
	}

	private static Document legacy(String order, long version, String status, Instant at) {
		return new Document("_id", new ObjectId()).append("orderId", order)
			.append("version", version)
			.append("status", status)
			.append("at", Date.from(at));
	}

	private static String newOrderId() {
		return "ord_store" + UUID.randomUUID().toString().replace("-", "");
	}

}
