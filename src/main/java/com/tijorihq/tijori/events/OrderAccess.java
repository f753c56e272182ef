package com.tijorihq.tijori.events;

import reactor.core.publisher.Mono;

import com.tijorihq.tijori.accounts.TijoriUser;

/** What status streams need from the owner of orders: its ownership rule and the order's current status. */
public interface OrderAccess {

	/** The order's current status if {@code user} may see it; otherwise a 404 problem (also for unknown ids). */
	Mono<OrderView> visibleTo(TijoriUser user, String orderId);

}
