package com.tijorihq.tijori.events;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import reactor.core.publisher.Flux;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec;

import com.tijorihq.tijori.support.ApiClient;
import com.tijorihq.tijori.support.ApiClients;

import static org.assertj.core.api.Assertions.assertThat;

/** Orders, sandbox payments and status streams over the real API, for the events tests. */
final class EventFixtures {

	static final ParameterizedTypeReference<ServerSentEvent<JsonNode>> SSE = new ParameterizedTypeReference<>() {
	};

	private final ApiClients clients;

	private String product;

	EventFixtures(ApiClients clients) {
		this.clients = clients;
	}

	/** A new order of one product for {@code buyer}, in status created. */
	JsonNode order(ApiClient buyer) {
		if (this.product == null) {
			this.product = this.clients.product(19_900);
		}
		JsonNode order = buyer.post("/api/orders", Map.of("items", List.of(Map.of("productId", this.product,
				"quantity", 1))))
			.expectStatus()
			.isCreated()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(order.get("status").asText()).isEqualTo("created");
		return order;
	}

	/** Pays in the sandbox (as Razorpay Checkout would) and verifies through {@code verifier}: the order is paid. */
	void payAndVerify(ApiClient sandboxSide, ApiClient verifier, JsonNode order) {
		JsonNode paid = sandboxSide
			.post("/sandbox/razorpay/pay", Map.of("order_id", order.get("gatewayOrderId").asText(), "outcome",
					"success"))
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		verifier.post("/api/orders/" + order.get("id").asText() + "/verify",
				Map.of("razorpay_order_id", paid.get("razorpay_order_id").asText(), "razorpay_payment_id",
						paid.get("razorpay_payment_id").asText(), "razorpay_signature",
						paid.get("razorpay_signature").asText()))
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("paid");
	}

	static ResponseSpec subscribe(ApiClient client, String orderId, Map<String, String> headers) {
		Map<String, String> all = new java.util.HashMap<>(headers);
		all.put("Accept", "text/event-stream");
		return client.exchange(HttpMethod.GET, "/api/orders/" + orderId + "/events", null, all);
	}

	/** The stream's events (heartbeats and other comments left out). */
	static Flux<ServerSentEvent<JsonNode>> statuses(ApiClient client, String orderId, Map<String, String> headers) {
		return subscribe(client, orderId, headers).expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith("text/event-stream")
			.returnResult(SSE)
			.getResponseBody()
			.filter(event -> event.event() != null);
	}

	static void assertStatus(ServerSentEvent<JsonNode> event, String orderId, String status) {
		assertThat(event.event()).isEqualTo("status");
		assertThat(event.id()).matches("\\d+");
		assertThat(event.data().get("orderId").asText()).isEqualTo(orderId);
		assertThat(event.data().get("status").asText()).isEqualTo(status);
		assertThat(event.data().get("at").asText()).isNotBlank();
	}

}
