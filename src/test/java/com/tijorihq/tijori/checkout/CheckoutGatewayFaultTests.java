package com.tijorihq.tijori.checkout;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import com.tijorihq.tijori.support.ApiClient;
import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;

import static com.tijorihq.tijori.checkout.CheckoutFixtures.line;
import static com.tijorihq.tijori.checkout.CheckoutFixtures.verifyBody;
import static org.assertj.core.api.Assertions.assertThat;

/** Checkout when the gateway misbehaves, using the sandbox's fault injection over HTTP. */
@IntegrationTest
class CheckoutGatewayFaultTests {

	@Autowired
	ApiClients clients;

	CheckoutFixtures fixtures;

	@BeforeEach
	void setUp() {
		this.fixtures = new CheckoutFixtures(this.clients);
	}

	@AfterEach
	void clearFaults() {
		this.clients.anonymous().delete("/sandbox/razorpay/_faults").expectStatus().is2xxSuccessful();
	}

	@Test
	void aPaymentWhoseAmountDiffersFromTheOrderIsNeverPaid() {
		String product = this.fixtures.product(50_000);
		ApiClient buyer = this.clients.customer();
		JsonNode order = this.fixtures.createOrder(buyer, List.of(line(product, 1)));
		faults(Map.of("amountMismatch", true));
		JsonNode paid = this.fixtures.pay(order, "success");
		buyer.post("/api/orders/" + order.get("id").asText() + "/verify", verifyBody(paid))
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("amount_mismatch");
		JsonNode stored = this.fixtures.get(buyer, order.get("id").asText());
		assertThat(stored.get("status").asText()).isNotEqualTo("paid");
		assertThat(stored.at("/amount/amount").asLong()).isEqualTo(50_000);
	}

	@Test
	void aRefusingGatewayGives503WithRetryAfterAndTheSameKeyLaterSucceeds() throws InterruptedException {
		String product = this.fixtures.product(20_000);
		ApiClient buyer = this.clients.customer();
		String key = UUID.randomUUID().toString();
		// named: an auto order would fail over to another gateway (FailoverTests)
		Map<String, Object> body = Map.of("items", List.of(line(product, 2)), "gateway", "razorpay");
		faults(Map.of("errorRate", 1.0));
		EntityExchangeResult<JsonNode> refused = buyer.post("/api/orders", body, Map.of("Idempotency-Key", key))
			.expectBody(JsonNode.class)
			.returnResult();
		assertThat(refused.getStatus().value()).isEqualTo(503);
		assertThat(refused.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(refused.getResponseHeaders().getFirst("Retry-After")).matches("[1-9][0-9]*");
		assertThat(refused.getResponseBody().get("code").asText()).isEqualTo("gateway_unavailable");

		clearFaults();
		// a client that honours Retry-After: the breaker may still be open for a few seconds
		Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
		EntityExchangeResult<JsonNode> retried;
		do {
			retried = buyer.post("/api/orders", body, Map.of("Idempotency-Key", key))
				.expectBody(JsonNode.class)
				.returnResult();
			if (retried.getStatus().is2xxSuccessful()) {
				break;
			}
			assertThat(retried.getStatus().value()).isIn(409, 503);
			Thread.sleep(500);
		}
		while (Instant.now().isBefore(deadline));
		assertThat(retried.getStatus().is2xxSuccessful()).as("retry with the same key succeeds").isTrue();
		JsonNode order = retried.getResponseBody();
		assertThat(order.get("gatewayOrderId").asText()).startsWith("order_");
		assertThat(order.at("/amount/amount").asLong()).isEqualTo(40_000);
		buyer.get("/api/orders").expectBody().jsonPath("$.total").isEqualTo(1);

		// and the order can be paid as usual
		JsonNode paid = this.fixtures.pay(order, "success");
		buyer.post("/api/orders/" + order.get("id").asText() + "/verify", verifyBody(paid))
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("paid");
	}

	/** An order whose gateway order could not be made is not a dead end: a fresh checkout makes it later. */
	@Test
	void anOrderLeftWithoutAGatewayOrderGetsOneFromAFreshCheckout() {
		String product = this.fixtures.product(30_000);
		ApiClient buyer = this.clients.customer();
		faults(Map.of("errorRate", 1.0));
		buyer.post("/api/orders", Map.of("items", List.of(line(product, 1)), "gateway", "razorpay"))
			.expectStatus()
			.isEqualTo(503);
		clearFaults();
		JsonNode listed = buyer.get("/api/orders").expectBody(JsonNode.class).returnResult().getResponseBody();
		assertThat(listed.get("total").asLong()).isEqualTo(1);
		String id = listed.at("/items/0/id").asText();
		assertThat(listed.at("/items/0/gatewayOrderId").textValue()).isNull();

		JsonNode renewed = buyer.post("/api/orders/" + id + "/checkout", Map.of())
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(renewed.get("gatewayOrderId").asText()).startsWith("order_");
		JsonNode paid = this.fixtures.pay(renewed, "success");
		buyer.post("/api/orders/" + id + "/verify", verifyBody(paid))
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("paid");
		// someone else's order is 404, like every other order route
		this.clients.customer().post("/api/orders/" + id + "/checkout", Map.of()).expectStatus().isNotFound();
	}

	@Test
	void whileTheBreakerIsOpenNewOrdersAreRefusedAtOnceAndNothingIsWritten() throws InterruptedException {
		String product = this.fixtures.product(10_000);
		ApiClient buyer = this.clients.customer();
		Map<String, Object> body = Map.of("items", List.of(line(product, 1)), "gateway", "razorpay");
		faults(Map.of("errorRate", 1.0));
		boolean open = false;
		for (int i = 0; i < 40 && !open; i++) {
			EntityExchangeResult<JsonNode> refused = buyer.post("/api/orders", body)
				.expectBody(JsonNode.class)
				.returnResult();
			assertThat(refused.getStatus().value()).isEqualTo(503);
			open = refused.getResponseBody().get("detail").asText().contains("paused");
		}
		assertThat(open).as("the breaker opened after repeated gateway failures").isTrue();
		long ordersBefore = buyer.get("/api/orders").expectBody(JsonNode.class).returnResult().getResponseBody()
			.get("total").asLong();
		for (int i = 0; i < 5; i++) {
			Instant started = Instant.now();
			buyer.post("/api/orders", body)
				.expectStatus()
				.isEqualTo(503)
				.expectHeader()
				.value("Retry-After", value -> assertThat(Long.parseLong(value)).isPositive());
			assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofSeconds(1));
		}
		buyer.get("/api/orders").expectBody().jsonPath("$.total").isEqualTo(ordersBefore);

		// once the gateway is healthy again the breaker lets calls through and closes
		clearFaults();
		Instant deadline = Instant.now().plus(Duration.ofSeconds(40));
		int status;
		do {
			Thread.sleep(500);
			status = buyer.post("/api/orders", body).returnResult(String.class).getStatus().value();
		}
		while (status != 201 && Instant.now().isBefore(deadline));
		assertThat(status).isEqualTo(201);
	}

	private void faults(Map<String, Object> faults) {
		this.clients.anonymous()
			.exchange(org.springframework.http.HttpMethod.PUT, "/sandbox/razorpay/_faults", faults, Map.of())
			.expectStatus()
			.is2xxSuccessful();
	}

}
