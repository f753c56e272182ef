package com.tijorihq.tijori.checkout;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.http.HttpMethod;
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
class CheckoutTests {

	@Autowired
	ApiClients clients;

	@Autowired
	ReactiveMongoTemplate mongo;

	CheckoutFixtures fixtures;

	@BeforeEach
	void setUp() {
		this.fixtures = new CheckoutFixtures(this.clients);
	}

	@Test
	void fullFlowFromProductToPaidWithTheServerComputedAmount() {
		String tea = this.fixtures.product(24_900);
		String mug = this.fixtures.product(39_900);
		ApiClient buyer = this.clients.customer();
		buyer.get("/api/products?size=100").expectStatus().isOk();

		// the client claims an amount of 1 paisa: ignored
		JsonNode order = buyer
			.post("/api/orders", Map.of("items", List.of(line(tea, 2), line(mug, 1)), "amount", 1))
			.expectStatus()
			.isCreated()
			.expectHeader()
			.value("Location", location -> assertThat(location).startsWith("/api/orders/ord_"))
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(order.get("id").asText()).startsWith("ord_");
		assertThat(order.get("status").asText()).isEqualTo("created");
		assertThat(order.at("/amount/amount").asLong()).isEqualTo(2 * 24_900 + 39_900);
		assertThat(order.at("/amount/currency").asText()).isEqualTo("INR");
		assertThat(order.get("gatewayOrderId").asText()).startsWith("order_");
		assertThat(order.get("keyId").asText()).isNotBlank();
		assertThat(order.get("gateway").asText()).isEqualTo("razorpay");
		assertThat(order.at("/items/0/unitPrice/amount").asLong()).isEqualTo(24_900);
		assertThat(order.toString()).doesNotContain("secret").doesNotContain("\"_id\"");

		JsonNode paid = this.fixtures.pay(order, "success");
		JsonNode verified = buyer.post("/api/orders/" + order.get("id").asText() + "/verify", verifyBody(paid))
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(verified.get("status").asText()).isEqualTo("paid");
		assertThat(verified.at("/payments/0/gatewayPaymentId").asText())
			.isEqualTo(paid.get("razorpay_payment_id").asText());
		assertThat(verified.at("/payments/0/status").asText()).isEqualTo("captured");
		assertThat(verified.at("/payments/0/id").asText()).startsWith("pay_");

		JsonNode stored = this.fixtures.get(buyer, order.get("id").asText());
		assertThat(stored.get("status").asText()).isEqualTo("paid");
		assertThat(stored.at("/amount/amount").asLong()).isEqualTo(89_700);

		// repeating a successful verify changes nothing
		buyer.post("/api/orders/" + order.get("id").asText() + "/verify", verifyBody(paid))
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("paid");
		assertThat(TestData.eventStatuses(this.mongo, order.get("id").asText())).containsExactly("CREATED", "PAID");

		buyer.get("/api/orders?page=0&size=10")
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.total").isEqualTo(1)
			.jsonPath("$.items[0].id").isEqualTo(order.get("id").asText())
			.jsonPath("$.items[0].status").isEqualTo("paid");
	}

	@Test
	void twentyConcurrentVerifiesMakeOneTransitionAndOnePaidEvent() throws Exception {
		String product = this.fixtures.product(10_000);
		ApiClient buyer = this.clients.customer();
		JsonNode order = this.fixtures.createOrder(buyer, List.of(line(product, 1)));
		JsonNode paid = this.fixtures.pay(order, "success");
		String path = "/api/orders/" + order.get("id").asText() + "/verify";
		List<Integer> statuses = TestData.concurrently(20, () -> buyer.post(path, verifyBody(paid))
			.returnResult(String.class)
			.getStatus()
			.value());
		assertThat(statuses).containsOnly(200);
		assertThat(TestData.eventStatuses(this.mongo, order.get("id").asText())).containsExactly("CREATED", "PAID");
		assertThat(this.fixtures.get(buyer, order.get("id").asText()).get("payments")).hasSize(1);
	}

	@Test
	void twentyConcurrentCreatesWithOneKeyMakeOneOrderAndOneGatewayOrder() throws Exception {
		String product = this.fixtures.product(15_000);
		ApiClient buyer = this.clients.customer();
		String key = UUID.randomUUID().toString();
		Map<String, Object> body = Map.of("items", List.of(line(product, 3)));
		List<EntityExchangeResult<JsonNode>> results = TestData.concurrently(20,
				() -> buyer.post("/api/orders", body, Map.of("Idempotency-Key", key))
					.expectBody(JsonNode.class)
					.returnResult());
		Set<String> ids = new HashSet<>();
		for (EntityExchangeResult<JsonNode> result : results) {
			int status = result.getStatus().value();
			assertThat(status).isIn(200, 201, 409);
			if (status == 409) {
				assertThat(result.getResponseHeaders().getFirst("Retry-After")).isNotNull();
			}
			else {
				ids.add(result.getResponseBody().get("id").asText());
				assertThat(result.getResponseBody().get("gatewayOrderId").asText()).startsWith("order_");
			}
		}
		// whichever request wins the gateway lease answers; it may be the one that claimed the key (201) or another
		assertThat(results.stream().filter(r -> r.getStatus().value() == 201)).hasSizeLessThanOrEqualTo(1);
		assertThat(ids).hasSize(1);
		String orderId = ids.iterator().next();
		// a later retry gets the same order
		buyer.post("/api/orders", body, Map.of("Idempotency-Key", key))
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.id")
			.isEqualTo(orderId);
		buyer.get("/api/orders").expectBody().jsonPath("$.total").isEqualTo(1);
		assertThat(gatewayOrdersWithReceipt(orderId)).isEqualTo(1);

		// the same key with another body is refused and creates nothing
		buyer.post("/api/orders", Map.of("items", List.of(line(product, 4))), Map.of("Idempotency-Key", key))
			.expectStatus()
			.isEqualTo(422)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("idempotency_key_reused");
		buyer.get("/api/orders").expectBody().jsonPath("$.total").isEqualTo(1);
		// keys are scoped to the user: another buyer's identical key is independent
		ApiClient other = this.clients.customer();
		other.post("/api/orders", body, Map.of("Idempotency-Key", key)).expectStatus().isCreated();
	}

	@Test
	void othersOrdersAreNotFoundAndAnonymousIsUnauthorized() {
		String product = this.fixtures.product(5_000);
		ApiClient owner = this.clients.customer();
		JsonNode order = this.fixtures.createOrder(owner, List.of(line(product, 1)));
		String id = order.get("id").asText();
		JsonNode paid = this.fixtures.pay(order, "success");

		ApiClient stranger = this.clients.customer();
		stranger.get("/api/orders/" + id)
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		stranger.post("/api/orders/" + id + "/verify", verifyBody(paid)).expectStatus().isNotFound();
		stranger.get("/api/orders").expectBody().jsonPath("$.total").isEqualTo(0);
		assertThat(this.fixtures.get(owner, id).get("status").asText()).isEqualTo("created");

		ApiClient anonymous = this.clients.anonymous();
		anonymous.get("/api/orders/" + id).expectStatus().isUnauthorized();
		anonymous.get("/api/orders").expectStatus().isUnauthorized();
		anonymous.post("/api/orders", Map.of("items", List.of(line(product, 1)))).expectStatus().isUnauthorized();
		anonymous.post("/api/orders/" + id + "/verify", verifyBody(paid)).expectStatus().isUnauthorized();
		this.clients.anonymous().get("/api/orders/ord_unknown").expectStatus().isUnauthorized();
		owner.get("/api/orders/ord_00000000000000000000").expectStatus().isNotFound();
		owner.get("/api/orders/not-an-id").expectStatus().isNotFound();

		// an admin may read any order
		this.clients.admin().get("/api/orders/" + id).expectStatus().isOk();
	}

	@Test
	void badCreateRequestsAreProblemsAndCreateNothing() {
		String product = this.fixtures.product(5_000);
		String gone = this.fixtures.product(5_000);
		this.clients.admin().delete("/api/products/" + gone).expectStatus().isNoContent();
		ApiClient buyer = this.clients.customer();
		List<Object[]> cases = new ArrayList<>();
		cases.add(new Object[] { "{\"items\":[", 400 });
		cases.add(new Object[] { "{}", 400 });
		cases.add(new Object[] { "{\"items\":[]}", 400 });
		cases.add(new Object[] { "{\"items\":null}", 400 });
		cases.add(new Object[] { "{\"items\":[{\"productId\":\"" + product + "\"}]}", 400 });
		cases.add(new Object[] { "{\"items\":[{\"quantity\":1}]}", 400 });
		for (String quantity : List.of("0", "-1", "101", "1.5", "\"2\"", "1e30", "99999999999999999999", "true")) {
			cases.add(new Object[] { "{\"items\":[{\"productId\":\"" + product + "\",\"quantity\":" + quantity + "}]}",
					400 });
		}
		cases.add(new Object[] { "{\"items\":[{\"productId\":\"" + product + "\",\"quantity\":1,\"price\":1}]}", 400 });
		cases.add(new Object[] { "{\"items\":[{\"productId\":\"" + product + "\",\"quantity\":1},{\"productId\":\""
				+ product + "\",\"quantity\":2}]}", 400 });
		cases.add(new Object[] { "{\"items\":[{\"productId\":\"prod_00000000000000000000\",\"quantity\":1}]}", 404 });
		cases.add(new Object[] { "{\"items\":[{\"productId\":\"not a product\",\"quantity\":1}]}", 404 });
		cases.add(new Object[] { "{\"items\":[{\"productId\":\"" + gone + "\",\"quantity\":1}]}", 404 });
		StringBuilder many = new StringBuilder("{\"items\":[");
		for (int i = 0; i < 51; i++) {
			many.append(i == 0 ? "" : ",").append("{\"productId\":\"prod_").append(String.format("%020d", i))
				.append("\",\"quantity\":1}");
		}
		cases.add(new Object[] { many.append("]}").toString(), 400 });
		for (Object[] c : cases) {
			buyer.exchange(HttpMethod.POST, "/api/orders", c[0], Map.of())
				.expectStatus()
				.isEqualTo((Integer) c[1])
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo(c[1]);
		}
		buyer.exchange(HttpMethod.POST, "/api/orders", "items=1", Map.of("Content-Type", "text/plain"))
			.expectStatus()
			.isEqualTo(415);
		buyer.get("/api/orders").expectBody().jsonPath("$.total").isEqualTo(0);
		buyer.get("/api/orders?size=0").expectStatus().isBadRequest();
	}

	@Test
	void badVerificationsAreRejectedAndChangeNothing() {
		String product = this.fixtures.product(7_500);
		ApiClient buyer = this.clients.customer();
		JsonNode first = this.fixtures.createOrder(buyer, List.of(line(product, 1)));
		JsonNode second = this.fixtures.createOrder(buyer, List.of(line(product, 2)));
		JsonNode firstPaid = this.fixtures.pay(first, "success");
		String secondPath = "/api/orders/" + second.get("id").asText() + "/verify";

		// a signature that is not the gateway's
		Map<String, Object> forged = Map.of("razorpay_order_id", second.get("gatewayOrderId").asText(),
				"razorpay_payment_id", firstPaid.get("razorpay_payment_id").asText(), "razorpay_signature",
				"0".repeat(64));
		buyer.post(secondPath, forged).expectStatus().isBadRequest().expectBody().jsonPath("$.code")
			.isEqualTo("invalid_signature");
		// the first order's genuine signature replayed on the second order
		buyer.post(secondPath, verifyBody(firstPaid)).expectStatus().isBadRequest().expectBody().jsonPath("$.code")
			.isEqualTo("order_mismatch");
		// the genuine signature with the second order's id swapped in
		Map<String, Object> swapped = Map.of("razorpay_order_id", second.get("gatewayOrderId").asText(),
				"razorpay_payment_id", firstPaid.get("razorpay_payment_id").asText(), "razorpay_signature",
				firstPaid.get("razorpay_signature").asText());
		buyer.post(secondPath, swapped).expectStatus().isBadRequest();
		// malformed bodies
		buyer.exchange(HttpMethod.POST, secondPath, "{\"razorpay_order_id\":", Map.of()).expectStatus().isBadRequest();
		buyer.post(secondPath, Map.of("razorpay_order_id", "x")).expectStatus().isBadRequest().expectBody()
			.jsonPath("$.errors").isArray();
		buyer.post("/api/orders/ord_00000000000000000000/verify", verifyBody(firstPaid)).expectStatus().isNotFound();

		assertThat(this.fixtures.get(buyer, second.get("id").asText()).get("status").asText()).isEqualTo("created");
		assertThat(this.fixtures.get(buyer, second.get("id").asText()).get("payments")).isEmpty();
		assertThat(TestData.eventStatuses(this.mongo, second.get("id").asText())).containsExactly("CREATED");
		// the first order can still be verified with its own details
		buyer.post("/api/orders/" + first.get("id").asText() + "/verify", verifyBody(firstPaid))
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("paid");
	}

	@Test
	void aFailedPaymentFailsTheOrderAndTheBuyerCanPayAgain() {
		String product = this.fixtures.product(12_300);
		ApiClient buyer = this.clients.customer();
		JsonNode order = this.fixtures.createOrder(buyer, List.of(line(product, 1)));
		String id = order.get("id").asText();
		this.fixtures.pay(order, "failure");
		// the sandbox's failed payment shows up when the gateway is asked (verify of the success below or
		// reconciliation); paying again succeeds on the same order
		JsonNode paid = this.fixtures.pay(order, "success");
		buyer.post("/api/orders/" + id + "/verify", verifyBody(paid)).expectStatus().isOk().expectBody()
			.jsonPath("$.status").isEqualTo("paid");
	}

	private long gatewayOrdersWithReceipt(String receipt) {
		return this.clients.anonymous()
			.raw()
			.get()
			.uri("/sandbox/razorpay/v1/orders?receipt=" + receipt)
			.headers(h -> h.setBasicAuth(SandboxKeys.KEY_ID, SandboxKeys.KEY_SECRET))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody()
			.get("count")
			.asLong();
	}

	/** The sandbox's key pair as configured for tests. */
	static final class SandboxKeys {

		static final String KEY_ID = "rzp_test_sandboxTijori1";

		static final String KEY_SECRET = "tijori_sandbox_secret";

	}

}
