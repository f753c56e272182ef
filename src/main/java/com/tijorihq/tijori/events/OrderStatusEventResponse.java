package com.tijorihq.tijori.events;

import java.time.Instant;

import com.tijorihq.tijori.checkout.OrderStatus;

/** The {@code data} of one {@code status} event. */
record OrderStatusEventResponse(String orderId, OrderStatus status, Instant at) {
}
