package com.tijorihq.tijori.events;

import java.time.Instant;

/**
 * The {@code data} of one {@code status} event.
 *
 * @param status as clients see it ({@code "paid"})
 */
record OrderStatusEventResponse(String orderId, String status, Instant at) {
}
