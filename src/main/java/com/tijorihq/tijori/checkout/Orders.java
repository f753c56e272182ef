package com.tijorihq.tijori.checkout;

import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import com.tijorihq.tijori.accounts.TijoriUser;
import com.tijorihq.tijori.events.OrderAccess;
import com.tijorihq.tijori.events.OrderView;

/** Read access to orders for status streams, with checkout's ownership rule. */
@Component
class Orders implements OrderAccess {

	private final OrderService orders;

	Orders(OrderService orders) {
		this.orders = orders;
	}

	/** The order's current status if {@code user} may see it (owner or admin); otherwise a 404 error. */
	@Override
	public Mono<OrderView> visibleTo(TijoriUser user, String orderId) {
		return this.orders.owned(user, orderId)
			.map(order -> new OrderView(order.publicId(), order.status().wire(), order.version(), order.updatedAt(),
					order.status().endsStream()));
	}

}
