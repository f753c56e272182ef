package com.tijorihq.tijori.events;

import java.time.Instant;

/**
 * An order's current status as a status stream starts from.
 *
 * @param version the sequence number of the latest status change (the SSE event id)
 * @param status the status as clients see it ({@code "paid"})
 * @param endsStream whether a checkout page stops on this status
 */
public record OrderView(String orderId, String status, long version, Instant updatedAt, boolean endsStream) {
}
