package com.tijorihq.tijori.checkout;

import java.time.Instant;

/**
 * An order's current status as other features see it.
 *
 * @param version the sequence number of the latest status change (the SSE event id)
 */
public record OrderSnapshot(String id, String userId, OrderStatus status, long version, Instant updatedAt) {
}
