package com.tijorihq.tijori.apidocs;

import java.util.List;

/** The routes of the HTTP contract (API.md), as {@link Routes#key} strings. */
final class ApiContract {

	static final List<String> ROUTES = List.of(
			// accounts
			"GET /api/auth/csrf", "POST /api/auth/register", "POST /api/auth/login", "POST /api/auth/logout",
			"GET /api/auth/me",
			// catalog
			"GET /api/products", "GET /api/products/{}", "POST /api/products", "PATCH /api/products/{}",
			"DELETE /api/products/{}",
			// checkout
			"POST /api/orders", "GET /api/orders", "GET /api/orders/{}", "POST /api/orders/{}/verify",
			"GET /api/orders/{}/events", "POST /api/orders/{}/refunds",
			// webhooks and the gateway sandbox
			"POST /api/webhooks/razorpay", "POST /sandbox/razorpay/pay", "GET /sandbox/razorpay/checkout");

	private ApiContract() {
	}

}
