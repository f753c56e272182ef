package com.tijorihq.tijori.events;

import java.time.Instant;
import java.util.Locale;
import java.util.Set;

import org.bson.types.ObjectId;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One status change in {@code order_events}: the log that live status streams follow and replay from.
 * {@code (orderId, version)} is unique, so publishing the same change twice stores it once. The status is stored
 * upper case ({@code PAID}), as it always was, so instances of either version read each other's records.
 *
 * @param endsStream null in records written before it was stored
 * @param seq the record's position in the log, unique and given out in order ({@link EventSequence}); null in
 *        records written before it was stored
 */
@Document(OrderEventRecord.COLLECTION)
record OrderEventRecord(@Id ObjectId id, String orderId, long version, String status, Instant at,
		Boolean endsStream, Long seq) {

	static final String COLLECTION = "order_events";

	/** The statuses that ended a stream when records did not say so themselves. */
	private static final Set<String> LEGACY_FINAL = Set.of("PAID", "REFUNDED", "EXPIRED");

	static OrderEventRecord of(OrderStatusEvent event, long seq) {
		return new OrderEventRecord(new ObjectId(), event.orderId(), event.version(),
				event.status().toUpperCase(Locale.ROOT), event.at(), event.endsStream(), seq);
	}

	OrderStatusEvent toEvent() {
		boolean ends = (this.endsStream != null) ? this.endsStream : LEGACY_FINAL.contains(this.status);
		return new OrderStatusEvent(this.orderId, this.version, this.status.toLowerCase(Locale.ROOT), this.at, ends);
	}

}
