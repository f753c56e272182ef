package com.tijorihq.tijori.checkout;

import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import com.tijorihq.tijori.accounts.TijoriUser;

/** Read access to orders for other features (status streams), with checkout's ownership rule. */
@Component
public class Orders {

	private final OrderService orders;

	Orders(OrderService orders) {
		this.orders = orders;
	}

	/** The order's current status if {@code user} may see it (owner or admin); otherwise a 404 error. */
	public Mono<OrderSnapshot> visibleTo(TijoriUser user, String orderId) {
		return this.orders.owned(user, orderId)
			.map(order -> new OrderSnapshot(order.publicId(), order.userId(), order.status(), order.version(),
					order.updatedAt()));
	}

}
