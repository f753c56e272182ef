package com.tijorihq.tijori.checkout;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.bson.Document;
import org.bson.types.ObjectId;

import org.springframework.core.convert.converter.Converter;
import org.springframework.data.convert.ReadingConverter;
import org.springframework.stereotype.Component;

import com.tijorihq.tijori.checkout.OrderDocument.Attempt;
import com.tijorihq.tijori.checkout.OrderDocument.LineItem;
import com.tijorihq.tijori.checkout.OrderDocument.OrderEvent;
import com.tijorihq.tijori.checkout.OrderDocument.Payment;
import com.tijorihq.tijori.checkout.OrderDocument.RefundRecord;

/**
 * Reads a stored order as Spring Data's mapping reads it ({@code OrderDocumentReaderTests} compares the two on
 * every shape an order has been stored in): a field that is absent is null, except that an amount or count the
 * record keeps as a primitive must be there, as the mapping requires; numbers are read whatever their BSON width. Hand-written for the reason given on
 * {@link OrderDocumentWriter}: every request that touches an order reads it back.
 */
@Component
@ReadingConverter
final class OrderDocumentReader implements Converter<Document, OrderDocument> {

	@Override
	public OrderDocument convert(Document stored) {
		return new OrderDocument((ObjectId) stored.get("_id"), string(stored, "publicId"), string(stored, "userId"),
				string(stored, "idempotencyKey"), string(stored, "requestHash"),
				list(stored, "items", OrderDocumentReader::item), primitive(stored, "amount"),
				string(stored, "currency"), status(stored, "status", OrderStatus.class), primitive(stored, "version"),
				number(stored, "revision"), string(stored, "gateway"), string(stored, "gatewayOrderId"),
				list(stored, "attempts", OrderDocumentReader::attempt), instant(stored, "gatewayLeaseUntil"),
				(int) primitive(stored, "gatewayAttempts"), map(stored, "payments", OrderDocumentReader::payment),
				string(stored, "paidBy"), list(stored, "events", OrderDocumentReader::event),
				string(stored, "relayDue"), number(stored, "eventsPublished"), primitive(stored, "amountRefunded"),
				(int) primitive(stored, "verificationFailures"), list(stored, "flags", String.class::cast),
				instant(stored, "createdAt"), instant(stored, "updatedAt"),
				map(stored, "refunds", OrderDocumentReader::refund), string(stored, "reconcileDue"),
				string(stored, "refundCheckDue"));
	}

	private static LineItem item(Object value) {
		Document stored = (Document) value;
		return new LineItem(string(stored, "productId"), string(stored, "name"), primitive(stored, "quantity"),
				primitive(stored, "unitAmount"), string(stored, "currency"));
	}

	private static Attempt attempt(Object value) {
		Document stored = (Document) value;
		return new Attempt(string(stored, "publicId"), string(stored, "gateway"), string(stored, "gatewayOrderId"),
				primitive(stored, "amount"), string(stored, "currency"), map(stored, "checkout", String.class::cast),
				instant(stored, "createdAt"));
	}

	private static Payment payment(Object value) {
		Document stored = (Document) value;
		return new Payment(string(stored, "publicId"), string(stored, "gatewayPaymentId"),
				status(stored, "status", PaymentStatus.class), string(stored, "method"), primitive(stored, "amount"),
				string(stored, "currency"), instant(stored, "createdAt"), instant(stored, "updatedAt"),
				string(stored, "gatewayOrderId"), number(stored, "refundable"), number(stored, "refunded"),
				(Boolean) stored.get("duplicate"));
	}

	private static RefundRecord refund(Object value) {
		Document stored = (Document) value;
		return new RefundRecord(string(stored, "publicId"), string(stored, "gatewayRefundId"),
				string(stored, "gatewayPaymentId"), primitive(stored, "amount"), string(stored, "currency"),
				status(stored, "status", RefundStatus.class), string(stored, "idempotencyKey"),
				instant(stored, "createdAt"), instant(stored, "updatedAt"), (Boolean) stored.get("duplicate"));
	}

	private static OrderEvent event(Object value) {
		Document stored = (Document) value;
		return new OrderEvent(primitive(stored, "version"), status(stored, "status", OrderStatus.class),
				instant(stored, "at"));
	}

	private static String string(Document stored, String key) {
		return (String) stored.get(key);
	}

	private static Long number(Document stored, String key) {
		Object value = stored.get(key);
		return (value != null) ? ((Number) value).longValue() : null;
	}

	/** A field the record keeps as a primitive (an amount, a count) must be there: nothing is guessed. */
	private static long primitive(Document stored, String key) {
		Object value = stored.get(key);
		if (value == null) {
			throw new IllegalStateException("A stored order has no " + key);
		}
		return ((Number) value).longValue();
	}

	private static Instant instant(Document stored, String key) {
		Object value = stored.get(key);
		return (value != null) ? ((Date) value).toInstant() : null;
	}

	private static <E extends Enum<E>> E status(Document stored, String key, Class<E> type) {
		Object value = stored.get(key);
		return (value != null) ? Enum.valueOf(type, (String) value) : null;
	}

	private static <T> List<T> list(Document stored, String key, Function<Object, T> read) {
		Object value = stored.get(key);
		if (value == null) {
			return null;
		}
		List<?> values = (List<?>) value;
		List<T> items = new ArrayList<>(values.size());
		values.forEach(each -> items.add(read.apply(each)));
		return items;
	}

	private static <T> Map<String, T> map(Document stored, String key, Function<Object, T> read) {
		Object value = stored.get(key);
		if (value == null) {
			return null;
		}
		Map<String, T> entries = new LinkedHashMap<>();
		((Document) value).forEach((name, each) -> entries.put(name, read.apply(each)));
		return entries;
	}

}
