/** Live payment status: one tail of {@code order_events} per instance, multicast to Server-Sent Event streams. */
package com.tijorihq.tijori.events;
