package com.tijorihq.tijori.events;

import java.time.Instant;

/**
 * One change of an order's status, as the owner of orders publishes it.
 *
 * @param version the change's sequence number within the order (the SSE event id); {@code (orderId, version)}
 *        names the change, so publishing it again is harmless
 * @param status the status as clients see it ({@code "paid"})
 * @param endsStream whether a checkout page stops on this status (its stream completes after it)
 */
public record OrderStatusEvent(String orderId, long version, String status, Instant at, boolean endsStream) {
}
