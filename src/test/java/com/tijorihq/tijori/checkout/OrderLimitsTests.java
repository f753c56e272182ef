package com.tijorihq.tijori.checkout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;

import com.tijorihq.tijori.support.ApiClient;
import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.TightLimits;

import static com.tijorihq.tijori.checkout.CheckoutFixtures.line;
import static com.tijorihq.tijori.checkout.CheckoutFixtures.verifyBody;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One buyer cannot make unbounded checkout work: a cap on orders waiting for payment and a rate of new orders,
 * both 429 problems; a replay of an Idempotency-Key is never refused by either.
 */
@TightLimits
class OrderLimitsTests {

	/** {@code tijori.orders.max-open} and {@code rate} under {@link TightLimits}. */
	private static final int MAX_OPEN = 4;

	private static final int RATE = 8;

	@Autowired
	ApiClients clients;

	@Test
	void aBuyerAtTheOpenOrderCapGets429UntilAnOrderIsPaidAndReplaysAreStillAnswered() {
		CheckoutFixtures fixtures = new CheckoutFixtures(this.clients);
		String product = fixtures.product(15_000);
		ApiClient buyer = this.clients.customer();
		List<JsonNode> open = new ArrayList<>();
		for (int i = 0; i < MAX_OPEN; i++) {
			open.add(create(buyer, product, "key-" + i).expectStatus().isCreated().expectBody(JsonNode.class)
				.returnResult().getResponseBody());
		}

		create(buyer, product, "key-new").expectStatus()
			.isEqualTo(429)
			.expectHeader()
			.contentType("application/problem+json")
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("too_many_open_orders");
		buyer.get("/api/orders").expectStatus().isOk().expectBody().jsonPath("$.total").isEqualTo(MAX_OPEN);

		// the replay of a key is the order it stands for, cap or not
		create(buyer, product, "key-1").expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.id")
			.isEqualTo(open.get(1).get("id").asText());

		// paying one makes room for one
		JsonNode paid = fixtures.pay(open.get(0), "success");
		buyer.post("/api/orders/" + open.get(0).get("id").asText() + "/verify", verifyBody(paid))
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("paid");
		create(buyer, product, "key-new").expectStatus().isCreated();
		buyer.get("/api/orders").expectStatus().isOk().expectBody().jsonPath("$.total").isEqualTo(MAX_OPEN + 1);
	}

	@Test
	void aBuyerAskingForOrdersTooFastGets429WithRetryAfterAndReplaysAreStillAnswered() {
		String product = this.clients.product(12_000);
		ApiClient buyer = this.clients.customer();
		String first = create(buyer, product, "only-key").expectStatus()
			.isCreated()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody()
			.get("id")
			.asText();
		for (int i = 1; i < RATE; i++) {
			// each asks for an order (of a product that does not exist): the rate counts requests, not successes
			buyer.post("/api/orders", Map.of("items", List.of(line("prod_DoesNotExist0000001", 1))))
				.expectStatus()
				.isNotFound();
		}

		create(buyer, product, "another-key").expectStatus()
			.isEqualTo(429)
			.expectHeader()
			.value("Retry-After", retryAfter -> assertThat(Long.parseLong(retryAfter)).isPositive())
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("order_rate_limited");
		create(buyer, product, "only-key").expectStatus().isOk().expectBody().jsonPath("$.id").isEqualTo(first);
		buyer.get("/api/orders").expectStatus().isOk().expectBody().jsonPath("$.total").isEqualTo(1);
		// another buyer is not held up
		create(this.clients.customer(), product, "only-key").expectStatus().isCreated();
	}

	private static org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec create(ApiClient buyer,
			String product, String key) {
		return buyer.exchange(HttpMethod.POST, "/api/orders", Map.of("items", List.of(line(product, 1))),
				Map.of("Idempotency-Key", key));
	}

}
