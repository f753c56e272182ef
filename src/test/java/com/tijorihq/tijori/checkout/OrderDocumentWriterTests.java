package com.tijorihq.tijori.checkout;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import org.springframework.data.mongodb.core.convert.MappingMongoConverter;
import org.springframework.data.mongodb.core.convert.MongoCustomConversions;
import org.springframework.data.mongodb.core.convert.NoOpDbRefResolver;
import org.springframework.data.mongodb.core.mapping.MongoMappingContext;

import com.tijorihq.tijori.checkout.OrderDocument.Attempt;
import com.tijorihq.tijori.checkout.OrderDocument.LineItem;
import com.tijorihq.tijori.checkout.OrderDocument.OrderEvent;
import com.tijorihq.tijori.checkout.OrderDocument.Payment;
import com.tijorihq.tijori.checkout.OrderDocument.RefundRecord;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand-written writer stores an order exactly as Spring Data's mapping did (and still reads): the same fields,
 * names, order and types, with every field set, and with every optional field left out.
 */
class OrderDocumentWriterTests {

	private static final Instant AT = Instant.parse("2026-12-03T10:15:30.123Z");

	private final MappingMongoConverter mapping = mapping();

	@Test
	void aFullOrderIsStoredAsTheMappingStoresIt() {
		assertSameAsMapping(full());
	}

	@Test
	void anOrderWithEveryOptionalFieldUnsetIsStoredAsTheMappingStoresIt() {
		assertSameAsMapping(bare());
		assertSameAsMapping(partial());
	}

	/** Every field set. */
	static OrderDocument full() {
		return new OrderDocument(new ObjectId(), "ord_1", "usr_1", "usr_1:key", "hash",
				List.of(new LineItem("prd_1", "Tea", 2, 12_300, "INR"), new LineItem("prd_2", "Cup", 1, 500, "INR")),
				25_100, "INR", OrderStatus.PAID, 3, 4L, "razorpay", "order_2",
				List.of(new Attempt("att_1", "razorpay", "order_1", 25_100, "INR", Map.of("key", "rzp_test_1"), AT),
						new Attempt("att_2", "razorpay", "order_2", 25_100, "INR", Map.of(), AT.plusSeconds(1))),
				AT.plusSeconds(30), 2,
				ordered(Map.of("pay_1",
						new Payment("pmt_1", "pay_1", PaymentStatus.CAPTURED, "card", 25_100, "INR", AT, AT, "order_2",
								20_000L, 5_100L, Boolean.FALSE))),
				"pay_1",
				List.of(new OrderEvent(1, OrderStatus.CREATED, AT), new OrderEvent(3, OrderStatus.PAID, AT)),
				"due_relay", 2L, 5_100, 1, List.of("amount_mismatch"), AT, AT.plusSeconds(60),
				ordered(Map.of("rfd_1", new RefundRecord("rfd_1", "rfnd_1", "pay_1", 5_100, "INR",
						RefundStatus.PROCESSED, "usr_1:r", AT, AT, Boolean.TRUE))),
				"due_reconcile", "due_refund");
	}

	/** Every optional field unset. */
	static OrderDocument bare() {
		return new OrderDocument(null, "ord_2", "usr_1", null, null, List.of(), 0, "INR",
				OrderStatus.CREATED, 1, null, "razorpay", null, null, null, 0, null, null, List.of(), null, null, 0, 0,
				null, AT, AT, null, null, null);
	}

	/** Optional fields of the nested records unset. */
	static OrderDocument partial() {
		return new OrderDocument(new ObjectId(), "ord_3", "usr_1", null, null, List.of(), 100, "INR",
				OrderStatus.CREATED, 1, 0L, "razorpay", null,
				List.of(new Attempt("att_1", "razorpay", "order_1", 100, "INR", null, null)), null, 0,
				ordered(Map.of("pay_1", new Payment("pmt_1", "pay_1", PaymentStatus.FAILED, null, 100, "INR", AT, AT,
						null, null, null, null))),
				null, List.of(), null, null, 0, 0, List.of(), AT, AT,
				ordered(Map.of("rfd_1", new RefundRecord("rfd_1", null, "pay_1", 100, "INR", RefundStatus.PENDING,
						null, AT, AT, null))),
				null, null);
	}

	/** Equal as documents, and in the same field order (what the BSON on disk and on the wire keeps). */
	private void assertSameAsMapping(OrderDocument order) {
		Document written = new OrderDocumentWriter().convert(order);
		Document mapped = mapping(order);
		assertThat(written).isEqualTo(mapped);
		assertThat(written.toJson()).isEqualTo(mapped.toJson());
	}

	private Document mapping(OrderDocument order) {
		Document stored = new Document();
		this.mapping.write(order, stored);
		return stored;
	}

	static <V> Map<String, V> ordered(Map<String, V> map) {
		return new LinkedHashMap<>(map);
	}

	/** Spring Data's mapping as Boot sets it up, without the writer. */
	static MappingMongoConverter mapping() {
		MongoCustomConversions conversions = new MongoCustomConversions(List.of());
		MongoMappingContext context = new MongoMappingContext();
		context.setSimpleTypeHolder(conversions.getSimpleTypeHolder());
		context.afterPropertiesSet();
		MappingMongoConverter converter = new MappingMongoConverter(NoOpDbRefResolver.INSTANCE, context);
		converter.setCustomConversions(conversions);
		converter.afterPropertiesSet();
		return converter;
	}

}
