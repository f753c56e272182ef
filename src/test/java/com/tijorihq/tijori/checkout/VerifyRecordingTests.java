package com.tijorihq.tijori.checkout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mapping.PropertyReferenceException;
import org.springframework.data.mongodb.core.ReactiveMongoOperations;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

import com.tijorihq.tijori.support.ApiClient;
import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;

import static com.tijorihq.tijori.checkout.CheckoutFixtures.line;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The verify's one write (record the capture, move to paid, append the event) as stored, and what it costs: its
 * keys under {@code payments.<gateway payment id>} must not go through Spring Data's property resolution, which
 * throws for every such key (a profile of 1 000 verifies counted about 95 exceptions each).
 */
@IntegrationTest
class VerifyRecordingTests {

	@Autowired
	ApiClients clients;

	@Autowired
	ReactiveMongoOperations mongo;

	@Test
	void aVerifyStoresThePaymentAndEventInTheOrdersOwnShape() {
		CheckoutFixtures fixtures = new CheckoutFixtures(this.clients);
		ApiClient buyer = this.clients.customer();
		JsonNode order = fixtures.createOrder(buyer, List.of(line(fixtures.product(45_600), 2)));
		JsonNode paid = fixtures.pay(order, "success");
		String paymentId = paid.get("razorpay_payment_id").asText();
		buyer.post("/api/orders/" + order.get("id").asText() + "/verify", CheckoutFixtures.verifyBody(paid))
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("paid");

		Document stored = this.mongo
			.findOne(Query.query(Criteria.where("publicId").is(order.get("id").asText())), Document.class,
					OrderDocument.COLLECTION)
			.block(Duration.ofSeconds(10));
		assertThat(stored).isNotNull();
		assertThat(stored.getString("status")).isEqualTo("PAID");
		assertThat(stored.getString("paidBy")).isEqualTo(paymentId);
		assertThat(stored.get("updatedAt")).isInstanceOf(Date.class);
		List<Document> events = stored.getList("events", Document.class);
		Document last = events.get(events.size() - 1);
		// the same element the mapped update wrote: its declared type, so no type hint
		assertThat(last.keySet()).containsExactly("version", "status", "at");
		assertThat(last.get("version")).isEqualTo(stored.get("version"));
		assertThat(last.getString("status")).isEqualTo("PAID");
		assertThat(last.get("at")).isInstanceOf(Date.class);
		Document payment = stored.get("payments", Document.class).get(paymentId, Document.class);
		assertThat(payment.getString("status")).isEqualTo("CAPTURED");
		assertThat(payment.get("amount")).isInstanceOf(Long.class).isEqualTo(stored.get("amount"));
		assertThat(payment.get("refundable")).isEqualTo(payment.get("amount"));
		assertThat(payment.get("createdAt")).isInstanceOf(Date.class);
		assertThat(payment.get("updatedAt")).isInstanceOf(Date.class);
		assertThat(payment).doesNotContainKey("_class");

		// and it reads back as the order: the API shows the payment captured
		JsonNode read = fixtures.get(buyer, order.get("id").asText());
		assertThat(read.get("status").asText()).isEqualTo("paid");
	}

	@Test
	void aVerifyThrowsNoPropertyReferenceExceptions() throws Exception {
		CheckoutFixtures fixtures = new CheckoutFixtures(this.clients);
		ApiClient buyer = this.clients.customer();
		String product = fixtures.product(12_300);
		JsonNode order = fixtures.createOrder(buyer, List.of(line(product, 1)));
		JsonNode paid = fixtures.pay(order, "success");
		Path file = Files.createTempFile("verify-exceptions", ".jfr");
		try (Recording recording = new Recording()) {
			recording.enable("jdk.JavaExceptionThrow").withStackTrace();
			recording.start();
			buyer.post("/api/orders/" + order.get("id").asText() + "/verify", CheckoutFixtures.verifyBody(paid))
				.expectStatus()
				.isOk();
			recording.stop();
			recording.dump(file);
			long thrown = RecordingFile.readAllEvents(file)
				.stream()
				.map(VerifyRecordingTests::thrownClass)
				.filter(PropertyReferenceException.class.getName()::equals)
				.count();
			assertThat(thrown).as("PropertyReferenceExceptions thrown during one verify").isZero();
		}
		finally {
			Files.deleteIfExists(file);
		}
	}

	private static String thrownClass(RecordedEvent event) {
		return event.getClass("thrownClass").getName();
	}

}
