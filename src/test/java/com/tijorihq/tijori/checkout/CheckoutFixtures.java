package com.tijorihq.tijori.checkout;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import com.tijorihq.tijori.support.ApiClient;
import com.tijorihq.tijori.support.ApiClients;

/** Products, orders and sandbox payments over the real API, for checkout tests. */
final class CheckoutFixtures {

	private final ApiClients clients;

	CheckoutFixtures(ApiClients clients) {
		this.clients = clients;
	}

	/** A new active product priced {@code paise}, created by the admin. */
	String product(long paise) {
		return this.clients.product(paise);
	}

	JsonNode createOrder(ApiClient buyer, List<Map<String, Object>> items) {
		return buyer.post("/api/orders", Map.of("items", items))
			.expectStatus()
			.isCreated()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

	static Map<String, Object> line(String productId, int quantity) {
		return Map.of("productId", productId, "quantity", quantity);
	}

	/** Pays the order in the sandbox as Razorpay Checkout would; returns the handler's three fields. */
	JsonNode pay(JsonNode order, String outcome) {
		return this.clients.anonymous()
			.post("/sandbox/razorpay/pay", Map.of("order_id", order.get("gatewayOrderId").asText(), "outcome", outcome))
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

	static Map<String, Object> verifyBody(JsonNode handlerFields) {
		return Map.of("razorpay_order_id", handlerFields.get("razorpay_order_id").asText(), "razorpay_payment_id",
				handlerFields.get("razorpay_payment_id").asText(), "razorpay_signature",
				handlerFields.get("razorpay_signature").asText());
	}

	JsonNode get(ApiClient buyer, String orderId) {
		return buyer.get("/api/orders/" + orderId)
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

}
