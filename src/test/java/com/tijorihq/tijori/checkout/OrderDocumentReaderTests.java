package com.tijorihq.tijori.checkout;

import java.util.Date;
import java.util.List;

import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import org.springframework.data.mongodb.core.convert.MappingMongoConverter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The hand-written reader reads every shape an order is stored in as Spring Data's mapping reads it: what the
 * writer stores (full, bare, partial), and what older versions and hand edits left (optional fields missing,
 * numbers stored as 32-bit or as doubles, no {@code _class}).
 */
class OrderDocumentReaderTests {

	private final MappingMongoConverter mapping = OrderDocumentWriterTests.mapping();

	@Test
	void whatTheWriterStoresReadsBackAsTheMappingReadsIt() {
		for (OrderDocument order : List.of(OrderDocumentWriterTests.full(), OrderDocumentWriterTests.bare(),
				OrderDocumentWriterTests.partial())) {
			Document stored = new OrderDocumentWriter().convert(order);
			assertThat(new OrderDocumentReader().convert(stored)).isEqualTo(order)
				.isEqualTo(this.mapping.read(OrderDocument.class, stored));
		}
	}

	@Test
	void olderShapesReadAsTheMappingReadsThem() {
		Date at = new Date(1_764_756_930_123L);
		Document older = new Document("_id", new ObjectId()).append("publicId", "ord_9")
			.append("userId", "usr_1")
			.append("items", List.of(new Document("productId", "prd_1").append("quantity", 2)
				.append("unitAmount", 500).append("currency", "INR")))
			.append("amount", 1000)
			.append("currency", "INR")
			.append("status", "CREATED")
			.append("version", 1)
			.append("gateway", "razorpay")
			.append("gatewayAttempts", 1L)
			.append("events", List.of(new Document("version", 1).append("status", "CREATED").append("at", at)))
			.append("payments", new Document("pay_1", new Document("status", "AUTHORIZED").append("amount", 1000.0)
				.append("refundable", 1000)))
			.append("eventsPublished", 1)
			.append("amountRefunded", 0)
			.append("verificationFailures", 0L)
			.append("createdAt", at)
			.append("updatedAt", at);

		assertThat(new OrderDocumentReader().convert(older)).isEqualTo(this.mapping.read(OrderDocument.class, older));
	}

	/** An amount missing from a stored order is an error, never a zero (the mapping refuses it too). */
	@Test
	void aMissingAmountIsNotReadAsZero() {
		Document stored = new OrderDocumentWriter().convert(OrderDocumentWriterTests.full());
		stored.remove("amountRefunded");

		assertThatThrownBy(() -> new OrderDocumentReader().convert(stored)).hasMessageContaining("amountRefunded");
		assertThatThrownBy(() -> this.mapping.read(OrderDocument.class, stored)).hasStackTraceContaining("amountRefunded");
	}

}
