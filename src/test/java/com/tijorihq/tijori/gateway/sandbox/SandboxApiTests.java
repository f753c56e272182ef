package com.tijorihq.tijori.gateway.sandbox;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.tijorihq.tijori.gateway.Hmac;
import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/** The sandbox's own HTTP surface, as a browser, a load test or a raw Razorpay client sees it. */
@IntegrationTest
class SandboxApiTests {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	@Autowired
	ApiClients clients;

	@Autowired
	SandboxFaults faults;

	@AfterEach
	void reset() {
		this.faults.reset();
	}

	@Test
	void apiNeedsTheSandboxKeyPairAndAnswersLikeRazorpay() {
		this.clients.anonymous()
			.raw()
			.get()
			.uri("/sandbox/razorpay/v1/orders/order_Missing0000001")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.error.code")
			.isEqualTo("BAD_REQUEST_ERROR")
			.jsonPath("$.error.description")
			.isEqualTo("Authentication failed");
		api().get()
			.uri("/sandbox/razorpay/v1/orders/order_Missing0000001")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error.description")
			.isEqualTo("The id provided does not exist");
		api().post()
			.uri("/sandbox/razorpay/v1/orders")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"amount\": 10.5, \"currency\": \"INR\"}")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error.field")
			.isEqualTo("amount");
	}

	@Test
	void amountMismatchFaultPaysLessThanTheOrderAndLeavesItUnpaid() {
		Map<String, Object> order = createOrder(20_000);
		this.clients.anonymous()
			.raw()
			.put()
			.uri("/sandbox/razorpay/_faults")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("amountMismatch", true))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.amountMismatch")
			.isEqualTo(true);
		Map<String, Object> paid = this.clients.anonymous()
			.post("/sandbox/razorpay/pay", Map.of("order_id", order.get("id"), "outcome", "success"))
			.expectStatus()
			.isOk()
			.expectBody(JSON)
			.returnResult()
			.getResponseBody();
		assertThat(paid.get("razorpay_signature")).isEqualTo(Hmac.sha256Hex("tijori_sandbox_secret",
				order.get("id") + "|" + paid.get("razorpay_payment_id")));
		api().get()
			.uri("/sandbox/razorpay/v1/payments/" + paid.get("razorpay_payment_id"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.entity")
			.isEqualTo("payment")
			.jsonPath("$.amount")
			.isEqualTo(19_999)
			.jsonPath("$.status")
			.isEqualTo("captured");
		api().get()
			.uri("/sandbox/razorpay/v1/orders/" + order.get("id"))
			.exchange()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("attempted")
			.jsonPath("$.amount_due")
			.isEqualTo(1);
	}

	@Test
	void payingTwiceOrAnUnknownOrderIsRefused() {
		Map<String, Object> order = createOrder(1_000);
		this.clients.anonymous()
			.post("/sandbox/razorpay/pay", Map.of("order_id", order.get("id"), "outcome", "success"))
			.expectStatus()
			.isOk();
		this.clients.anonymous()
			.post("/sandbox/razorpay/pay", Map.of("order_id", order.get("id"), "outcome", "success"))
			.expectStatus()
			.isEqualTo(409)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		this.clients.anonymous()
			.post("/sandbox/razorpay/pay", Map.of("order_id", "order_Missing0000001", "outcome", "success"))
			.expectStatus()
			.isNotFound();
		this.clients.anonymous()
			.post("/sandbox/razorpay/pay", Map.of("order_id", order.get("id"), "outcome", "maybe"))
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo("outcome");
	}

	@Test
	void checkoutPageShowsTheOrderEscaped() {
		Map<String, Object> order = createOrder(49_900);
		String html = this.clients.anonymous()
			.get("/sandbox/razorpay/checkout?order_id=" + order.get("id"))
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.TEXT_HTML)
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(html).contains((String) order.get("id"), "499.00", "INR", "Pay", "Fail payment");
		this.clients.anonymous()
			.get("/sandbox/razorpay/checkout?order_id=<script>")
			.expectStatus()
			.isNotFound()
			.expectBody(String.class)
			.value(body -> assertThat(body).contains("&lt;script&gt;").doesNotContain("<script>"));
	}

	@Test
	void faultsCanBeReadChangedAndReset() {
		this.clients.anonymous()
			.raw()
			.put()
			.uri("/sandbox/razorpay/_faults")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("errorRate", 1))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.errorRate")
			.isEqualTo(1.0);
		api().get().uri("/sandbox/razorpay/v1/orders?count=1").exchange().expectStatus().is5xxServerError()
			.expectBody().jsonPath("$.error.code").isEqualTo("SERVER_ERROR");
		this.clients.anonymous().raw().delete().uri("/sandbox/razorpay/_faults").exchange().expectStatus().isOk()
			.expectBody().jsonPath("$.errorRate").isEqualTo(0.0).jsonPath("$.latencyMs").isEqualTo(0)
			.jsonPath("$.webhooks").isEqualTo(false);
		api().get().uri("/sandbox/razorpay/v1/orders?count=1").exchange().expectStatus().isOk()
			.expectBody().jsonPath("$.entity").isEqualTo("collection");
	}

	private Map<String, Object> createOrder(long amount) {
		return api().post()
			.uri("/sandbox/razorpay/v1/orders")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("amount", amount, "currency", "INR", "receipt", "r-" + System.nanoTime()))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JSON)
			.returnResult()
			.getResponseBody();
	}

	private WebTestClient api() {
		return this.clients.anonymous()
			.raw()
			.mutate()
			.defaultHeaders(headers -> headers.setBasicAuth("rzp_test_sandboxTijori1", "tijori_sandbox_secret"))
			.build();
	}

}
