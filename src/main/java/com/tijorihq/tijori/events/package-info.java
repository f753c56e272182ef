/**
 * Live payment status: owns {@code order_events}, which the owner of orders fills through
 * {@link com.tijorihq.tijori.events.OrderEventPublisher}; one tail of it per instance, multicast to Server-Sent
 * Event streams. Depends on no other feature but accounts (the caller) and common.
 */
package com.tijorihq.tijori.events;
