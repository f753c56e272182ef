package com.tijorihq.tijori.payments;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

import com.tijorihq.tijori.support.ApiClient;
import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/** What every gateway shares: the list, the choice per order, and the callback route's own checks. */
@IntegrationTest
class GatewayChoiceTests {

	@Autowired
	ApiClients clients;

	@Test
	void listsTheEnabledGatewaysWithPublicValuesOnly() {
		JsonNode body = this.clients.anonymous()
			.get("/api/gateways")
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(body.get("defaultGateway").asText()).isEqualTo("razorpay");
		assertThat(body.get("items").findValuesAsText("name")).containsExactly("razorpay", "paytm", "payu");
		assertThat(body.at("/items/0/sandbox").asBoolean()).isTrue();
		assertThat(body.at("/items/0/publicKey").asText()).startsWith("rzp_test_");
		assertThat(body.get("items").findValuesAsText("health")).hasSize(3)
			.allSatisfy(health -> assertThat(health).isIn("up", "degraded", "down"));
		assertThat(body.toString()).doesNotContainIgnoringCase("secret").doesNotContainIgnoringCase("salt");
	}

	@Test
	void anOrderUsesTheDefaultGatewayOrTheOneNamedAndRefusesOthers() {
		String product = this.clients.product(12_300);
		ApiClient buyer = this.clients.customer();
		JsonNode order = buyer.post("/api/orders", Map.of("items", List.of(line(product)), "gateway", "razorpay"))
			.expectStatus()
			.isCreated()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(order.get("gateway").asText()).isEqualTo("razorpay");
		assertThat(order.get("checkout").isObject()).isTrue();

		for (Object bad : List.of("stripe", "RAZORPAY", "", 7)) {
			JsonNode problem = buyer.post("/api/orders", Map.of("items", List.of(line(product)), "gateway", bad))
				.expectStatus()
				.isBadRequest()
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody(JsonNode.class)
				.returnResult()
				.getResponseBody();
			assertThat(problem.toString()).as("bad gateway %s", bad).contains("gateway");
		}
		JsonNode orders = buyer.get("/api/orders").expectBody(JsonNode.class).returnResult().getResponseBody();
		assertThat(orders.get("total").asLong()).as("refused orders were never stored").isEqualTo(1);
	}

	@Test
	void theSameIdempotencyKeyWithAnotherGatewayIsAnotherRequest() {
		String product = this.clients.product(12_300);
		ApiClient buyer = this.clients.customer();
		Map<String, String> key = Map.of("Idempotency-Key", "k-gateway-1");
		buyer.post("/api/orders", Map.of("items", List.of(line(product))), key).expectStatus().isCreated();
		buyer.post("/api/orders", Map.of("items", List.of(line(product))), key).expectStatus().isOk();
		buyer.post("/api/orders", Map.of("items", List.of(line(product)), "gateway", "razorpay"), key)
			.expectStatus()
			.isEqualTo(422);
	}

	@Test
	void autoIsTheSameRequestAsNamingNoGateway() {
		String product = this.clients.product(12_300);
		ApiClient buyer = this.clients.customer();
		Map<String, String> key = Map.of("Idempotency-Key", "k-gateway-auto");
		JsonNode created = buyer.post("/api/orders", Map.of("items", List.of(line(product)), "gateway", "auto"), key)
			.expectStatus()
			.isCreated()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(created.get("gateway").asText()).isIn("razorpay", "paytm", "payu");
		buyer.post("/api/orders", Map.of("items", List.of(line(product))), key)
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.id")
			.isEqualTo(created.get("id").asText());
	}

	@Test
	void razorpaysFieldsAreRefusedForAnOrderOfAnotherGatewayAndChangeNothing() {
		String product = this.clients.product(12_300);
		ApiClient buyer = this.clients.customer();
		for (String gateway : List.of("paytm", "payu")) {
			JsonNode order = buyer.post("/api/orders", Map.of("items", List.of(line(product)), "gateway", gateway))
				.expectStatus()
				.isCreated()
				.expectBody(JsonNode.class)
				.returnResult()
				.getResponseBody();
			assertThat(order.get("gateway").asText()).isEqualTo(gateway);
			assertThat(order.get("gatewayOrderId").asText()).isEqualTo(order.get("id").asText());
			JsonNode problem = buyer
				.post("/api/orders/" + order.get("id").asText() + "/verify",
						Map.of("razorpay_order_id", order.get("gatewayOrderId").asText(), "razorpay_payment_id",
								"pay_x", "razorpay_signature", "00"))
				.expectStatus()
				.isBadRequest()
				.expectBody(JsonNode.class)
				.returnResult()
				.getResponseBody();
			// verify takes every gateway's return fields now, and the order's gateway checks them: another
			// gateway's fields never carry this gateway's signature
			assertThat(problem.get("code").asText()).isEqualTo("invalid_signature");
			assertThat(buyer.get("/api/orders/" + order.get("id").asText())
				.expectBody(JsonNode.class)
				.returnResult()
				.getResponseBody()
				.get("status")
				.asText()).isEqualTo("created");
		}
	}

	@Test
	void callbacksOfUnknownGatewaysAre404AndUnsignedOnesAre400() {
		ApiClient anonymous = this.clients.anonymous();
		anonymous
			.post("/api/payments/stripe/callback", "ORDERID=ord_x",
					Map.of("Content-Type", MediaType.APPLICATION_FORM_URLENCODED_VALUE))
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		// every gateway's browser return goes through its adapter: fields that are not its own, signed, are refused
		anonymous
			.post("/api/payments/razorpay/callback", "ORDERID=ord_x",
					Map.of("Content-Type", MediaType.APPLICATION_FORM_URLENCODED_VALUE))
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("invalid_signature");
	}

	private static Map<String, Object> line(String productId) {
		return Map.of("productId", productId, "quantity", 1);
	}

}
