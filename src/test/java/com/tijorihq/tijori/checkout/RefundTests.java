package com.tijorihq.tijori.checkout;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import com.tijorihq.tijori.support.ApiClient;
import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;
import com.tijorihq.tijori.support.TestData;

import static com.tijorihq.tijori.checkout.CheckoutFixtures.line;
import static com.tijorihq.tijori.checkout.CheckoutFixtures.verifyBody;
import static org.assertj.core.api.Assertions.assertThat;

@IntegrationTest
class RefundTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@Autowired
	ReconcileProperties reconcile;

	@Autowired
	ApiClients clients;

	@Autowired
	ReactiveMongoTemplate mongo;

	@Autowired
	Reconciler reconciler;

	CheckoutFixtures fixtures;

	ApiClient admin;

	@BeforeEach
	void setUp() {
		this.fixtures = new CheckoutFixtures(this.clients);
		this.admin = this.clients.admin();
	}

	@Test
	void aPartialRefundThenTheRestMakesTheOrderRefunded() {
		JsonNode order = paidOrder(10_000);
		String id = order.get("id").asText();

		JsonNode first = this.admin.post("/api/orders/" + id + "/refunds", Map.of("amount", 4_000))
			.expectStatus()
			.isCreated()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(first.get("id").asText()).startsWith("rfd_");
		assertThat(first.at("/amount/amount").asLong()).isEqualTo(4_000);
		assertThat(first.at("/amount/currency").asText()).isEqualTo("INR");
		assertThat(first.get("status").asText()).isEqualTo("processed");
		JsonNode partly = this.fixtures.get(this.admin, id);
		assertThat(partly.get("status").asText()).isEqualTo("partially_refunded");
		assertThat(partly.get("refunds")).hasSize(1);
		assertThat(partly.at("/amountRefunded/amount").asLong()).isEqualTo(4_000);

		// no amount: everything left
		JsonNode rest = this.admin.post("/api/orders/" + id + "/refunds", Map.of())
			.expectStatus()
			.isCreated()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(rest.at("/amount/amount").asLong()).isEqualTo(6_000);
		JsonNode refunded = this.fixtures.get(this.admin, id);
		assertThat(refunded.get("status").asText()).isEqualTo("refunded");
		assertThat(refunded.get("refunds")).hasSize(2);
		assertThat(refunded.at("/amountRefunded/amount").asLong()).isEqualTo(10_000);
		assertThat(TestData.eventStatuses(this.mongo, id)).containsExactly("CREATED", "PAID", "PARTIALLY_REFUNDED", "REFUNDED");
		assertThat(sandboxRefunds(order).get("count").asInt()).isEqualTo(2);

		// nothing left
		this.admin.post("/api/orders/" + id + "/refunds", Map.of("amount", 100)).expectStatus().isBadRequest();
	}

	@Test
	void refundingMoreThanIsLeftIs400AndChangesNothing() {
		JsonNode order = paidOrder(20_000);
		String id = order.get("id").asText();
		this.admin.post("/api/orders/" + id + "/refunds", Map.of("amount", 20_001))
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("over_refund");
		this.admin.post("/api/orders/" + id + "/refunds", Map.of("amount", 99))
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo("amount");
		JsonNode after = this.fixtures.get(this.admin, id);
		assertThat(after.get("status").asText()).isEqualTo("paid");
		assertThat(after.get("refunds")).isEmpty();
		assertThat(sandboxRefunds(order).get("count").asInt()).isZero();
	}

	@Test
	void tenConcurrentFullRefundsRefundOnceAtTheGateway() throws Exception {
		JsonNode order = paidOrder(30_000);
		String id = order.get("id").asText();
		List<EntityExchangeResult<JsonNode>> results = TestData.concurrently(10,
				() -> this.admin.post("/api/orders/" + id + "/refunds", Map.of())
					.expectBody(JsonNode.class)
					.returnResult());
		List<Integer> statuses = results.stream().map(r -> r.getStatus().value()).toList();
		assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
		assertThat(statuses).allSatisfy(s -> assertThat(s).isIn(201, 400, 409));
		JsonNode gatewayRefunds = sandboxRefunds(order);
		assertThat(gatewayRefunds.get("count").asInt()).isEqualTo(1);
		assertThat(gatewayRefunds.at("/items/0/amount").asLong()).isEqualTo(30_000);
		JsonNode after = this.fixtures.get(this.admin, id);
		assertThat(after.get("status").asText()).isEqualTo("refunded");
		assertThat(after.get("refunds")).hasSize(1);
		assertThat(after.at("/amountRefunded/amount").asLong()).isEqualTo(30_000);
	}

	@Test
	void theSameIdempotencyKeyRefundsOnce() {
		JsonNode order = paidOrder(40_000);
		String id = order.get("id").asText();
		Map<String, String> key = Map.of("Idempotency-Key", "refund-" + id);
		JsonNode first = this.admin.post("/api/orders/" + id + "/refunds", Map.of("amount", 1_000), key)
			.expectStatus()
			.isCreated()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		this.admin.post("/api/orders/" + id + "/refunds", Map.of("amount", 1_000), key)
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.id")
			.isEqualTo(first.get("id").asText());
		this.admin.post("/api/orders/" + id + "/refunds", Map.of("amount", 2_000), key)
			.expectStatus()
			.isEqualTo(422);
		assertThat(sandboxRefunds(order).get("count").asInt()).isEqualTo(1);
		assertThat(this.fixtures.get(this.admin, id).at("/amountRefunded/amount").asLong()).isEqualTo(1_000);
	}

	/** The gateway never answered (here: it failed every try): the reconciler finishes that same refund later. */
	@Test
	void aRefundWhoseGatewayAnswerNeverCameIsFinishedByTheReconcilerOnce() {
		JsonNode order = paidOrder(15_000);
		String id = order.get("id").asText();
		putFaults(Map.of("errorRate", 1.0));
		try {
			this.admin.post("/api/orders/" + id + "/refunds", Map.of("amount", 5_000)).expectStatus().isEqualTo(503);
		}
		finally {
			this.clients.anonymous().delete("/sandbox/razorpay/_faults").expectStatus().is2xxSuccessful();
		}
		JsonNode reserved = this.fixtures.get(this.admin, id);
		assertThat(reserved.get("status").asText()).isEqualTo("paid");
		assertThat(reserved.at("/refunds/0/status").asText()).isEqualTo("pending");
		assertThat(reserved.at("/amountRefunded/amount").asLong()).isZero();
		assertThat(sandboxRefunds(order).get("count").asInt()).isZero();

		// while the request that reserved it may still be waiting, the sweep leaves it alone
		assertThat(this.reconciler.sweep(Instant.now()).block(WAIT).leased()).isTrue();
		assertThat(this.fixtures.get(this.admin, id).at("/refunds/0/status").asText()).isEqualTo("pending");

		Instant later = Instant.now().plus(this.reconcile.unansweredAfter()).plusSeconds(1);
		assertThat(this.reconciler.sweep(later).block(WAIT).leased()).isTrue();
		assertThat(this.reconciler.sweep(later.plusSeconds(1)).block(WAIT).leased()).isTrue();
		JsonNode finished = this.fixtures.get(this.admin, id);
		assertThat(finished.get("status").asText()).isEqualTo("partially_refunded");
		assertThat(finished.at("/refunds/0/status").asText()).isEqualTo("processed");
		assertThat(finished.at("/amountRefunded/amount").asLong()).isEqualTo(5_000);
		assertThat(sandboxRefunds(order).get("count").asInt()).as("refunded once at the gateway").isEqualTo(1);
	}

	private void putFaults(Map<String, Object> faults) {
		this.clients.anonymous()
			.exchange(org.springframework.http.HttpMethod.PUT, "/sandbox/razorpay/_faults", faults, Map.of())
			.expectStatus()
			.is2xxSuccessful();
	}

	@Test
	void anUnpaidOrderCannotBeRefunded() {
		String product = this.fixtures.product(10_000);
		JsonNode order = this.fixtures.createOrder(this.clients.customer(), List.of(line(product, 1)));
		this.admin.post("/api/orders/" + order.get("id").asText() + "/refunds", Map.of())
			.expectStatus()
			.isEqualTo(409)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("order_not_paid");
	}

	@Test
	void onlyAdminsMayRefundAndUnknownOrdersAre404() {
		ApiClient buyer = this.clients.customer();
		JsonNode order = paidOrder(buyer, 10_000);
		buyer.post("/api/orders/" + order.get("id").asText() + "/refunds", Map.of())
			.expectStatus()
			.isForbidden()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
		this.clients.anonymous()
			.post("/api/orders/" + order.get("id").asText() + "/refunds", Map.of())
			.expectStatus()
			.isUnauthorized();
		this.admin.post("/api/orders/ord_doesNotExist00000000/refunds", Map.of()).expectStatus().isNotFound();
		assertThat(this.fixtures.get(buyer, order.get("id").asText()).get("status").asText()).isEqualTo("paid");
	}

	private JsonNode paidOrder(long paise) {
		return paidOrder(this.clients.customer(), paise);
	}

	private JsonNode paidOrder(ApiClient buyer, long paise) {
		String product = this.fixtures.product(paise);
		JsonNode order = this.fixtures.createOrder(buyer, List.of(line(product, 1)));
		JsonNode paid = this.fixtures.pay(order, "success");
		buyer.post("/api/orders/" + order.get("id").asText() + "/verify", verifyBody(paid))
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("paid");
		return this.fixtures.get(buyer, order.get("id").asText());
	}

	private JsonNode sandboxRefunds(JsonNode order) {
		String paymentId = order.at("/payments/0/gatewayPaymentId").asText();
		return this.clients.anonymous()
			.raw()
			.get()
			.uri("/sandbox/razorpay/v1/payments/" + paymentId + "/refunds")
			.headers(h -> h.setBasicAuth("rzp_test_sandboxTijori1", "tijori_sandbox_secret"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

}
