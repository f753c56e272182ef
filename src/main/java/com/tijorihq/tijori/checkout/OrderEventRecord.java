package com.tijorihq.tijori.checkout;

import java.time.Instant;

import org.bson.types.ObjectId;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One status change in {@code order_events}: the log that live status streams follow and replay from.
 * {@code (orderId, version)} is unique, so publishing the same change twice stores it once.
 */
@Document(OrderEventRecord.COLLECTION)
public record OrderEventRecord(@Id ObjectId id, String orderId, long version, OrderStatus status, Instant at) {

	public static final String COLLECTION = "order_events";

}
