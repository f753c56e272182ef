package com.tijorihq.tijori.gateway.paytm;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.http.MediaType;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.web.reactive.function.client.WebClient;

import com.tijorihq.tijori.checkout.Reconciler;
import com.tijorihq.tijori.common.GatewayUnavailableException;
import com.tijorihq.tijori.gateway.BreakerProperties;
import com.tijorihq.tijori.gateway.CallbackUrls;
import com.tijorihq.tijori.gateway.GatewayOrderRequest;
import com.tijorihq.tijori.common.Money;
import com.tijorihq.tijori.gateway.GatewayRefund;
import com.tijorihq.tijori.gateway.GatewayRejectedException;
import com.tijorihq.tijori.gateway.PaymentGateway;
import com.tijorihq.tijori.gateway.PaymentGateways;
import com.tijorihq.tijori.support.ApiClient;
import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;
import com.tijorihq.tijori.support.TestData;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Paytm end to end over HTTP against its built-in sandbox: checkout, callback, reconciliation, refunds. */
@IntegrationTest
class PaytmGatewayTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@Autowired
	ApiClients clients;

	@Autowired
	ReactiveMongoTemplate mongo;

	@Autowired
	Reconciler reconciler;

	@Autowired
	PaymentGateways gateways;

	@Autowired
	CallbackUrls callbackUrls;

	@Autowired
	ObjectMapper objectMapper;

	PaytmFlows flows;

	@BeforeEach
	void setUp() {
		this.flows = new PaytmFlows(this.clients);
	}

	@Test
	void paytmIsListedWithItsSandboxCheckoutAndNoSecret() {
		JsonNode gateways = this.clients.anonymous()
			.get("/api/gateways")
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		JsonNode paytm = null;
		for (JsonNode gateway : gateways.get("items")) {
			if (gateway.get("name").asText().equals("paytm")) {
				paytm = gateway;
			}
		}
		assertThat(paytm).isNotNull();
		assertThat(paytm.get("sandbox").asBoolean()).isTrue();
		assertThat(paytm.get("publicKey").asText()).isEqualTo(PaytmFlows.SANDBOX_MID);
		assertThat(paytm.at("/checkout/checkoutUrl").asText()).isEqualTo("/sandbox/paytm/checkout");
		assertThat(paytm.toString()).doesNotContain(PaytmFlows.SANDBOX_KEY);
	}

	@Test
	void paidAtTheSandboxAndCalledBackTheOrderIsPaid() {
		ApiClient buyer = this.clients.customer();
		JsonNode order = this.flows.order(buyer, 49_900);
		String id = order.get("id").asText();
		assertThat(order.get("gateway").asText()).isEqualTo("paytm");
		assertThat(order.get("gatewayOrderId").asText()).isEqualTo(id);
		JsonNode checkout = order.get("checkout");
		assertThat(checkout.get("mid").asText()).isEqualTo(PaytmFlows.SANDBOX_MID);
		assertThat(checkout.get("orderId").asText()).isEqualTo(id);
		assertThat(checkout.get("txnToken").asText()).isNotBlank();
		assertThat(checkout.get("amount").asText()).isEqualTo("499.00");
		assertThat(checkout.get("host").asText()).isEqualTo("/sandbox/paytm");
		assertThat(checkout.get("checkoutUrl").asText()).startsWith("/sandbox/paytm/checkout?mid=" + PaytmFlows.SANDBOX_MID
				+ "&orderId=" + id + "&txnToken=");
		assertThat(order.toString()).doesNotContain(PaytmFlows.SANDBOX_KEY);

		JsonNode paid = this.flows.pay(order, "success", null);
		assertThat(paid.get("callbackUrl").asText()).isEqualTo("/api/payments/paytm/callback");
		Map<String, String> fields = PaytmFlows.fields(paid);
		assertThat(fields).containsEntry("STATUS", "TXN_SUCCESS").containsEntry("TXNAMOUNT", "499.00")
			.containsEntry("ORDERID", id).containsKey("CHECKSUMHASH");

		this.flows.callback(fields)
			.expectStatus()
			.isSeeOther()
			.expectHeader()
			.valueEquals("Location", "/order.html?id=" + id);

		JsonNode after = this.flows.get(buyer, id);
		assertThat(after.get("status").asText()).isEqualTo("paid");
		assertThat(after.get("payments")).hasSize(1);
		assertThat(after.at("/payments/0/status").asText()).isEqualTo("captured");
		assertThat(after.at("/payments/0/gatewayPaymentId").asText()).isEqualTo(fields.get("TXNID"));
		assertThat(after.at("/payments/0/amount/amount").asLong()).isEqualTo(49_900);
		assertThat(after.at("/payments/0/amount/currency").asText()).isEqualTo("INR");
		assertThat(TestData.eventStatuses(this.mongo, id)).containsExactly("CREATED", "PAID");

		// the same callback again (a reload, or Paytm's retry) changes nothing
		this.flows.callback(fields).expectStatus().isSeeOther();
		JsonNode again = this.flows.get(buyer, id);
		assertThat(again.get("status").asText()).isEqualTo("paid");
		assertThat(again.get("updatedAt").asText()).isEqualTo(after.get("updatedAt").asText());
		assertThat(again.get("payments")).hasSize(1);
		assertThat(TestData.eventStatuses(this.mongo, id)).containsExactly("CREATED", "PAID");
	}

	@Test
	void aFailedPaymentMakesTheOrderFailed() {
		ApiClient buyer = this.clients.customer();
		JsonNode order = this.flows.order(buyer, 12_300);
		String id = order.get("id").asText();
		Map<String, String> fields = PaytmFlows.fields(this.flows.pay(order, "failure", null));
		assertThat(fields).containsEntry("STATUS", "TXN_FAILURE");

		this.flows.callback(fields).expectStatus().isSeeOther();

		JsonNode after = this.flows.get(buyer, id);
		assertThat(after.get("status").asText()).isEqualTo("failed");
		assertThat(after.at("/payments/0/status").asText()).isEqualTo("failed");
	}

	/**
	 * Paytm takes each order id once, so paying again after a failure is a new Paytm order on the same Tijori
	 * order; the old one stays the order's, and the money is refunded through the Paytm order it was paid on.
	 */
	@Test
	void afterAFailedPaymentTheBuyerPaysAgainOnTheSameOrderThroughANewPaytmOrder() {
		ApiClient buyer = this.clients.customer();
		JsonNode order = this.flows.order(buyer, 14_700);
		String id = order.get("id").asText();
		String checkoutPath = "/api/orders/" + id + "/checkout";
		assertThat(buyer.post(checkoutPath, Map.of()).expectStatus().isOk().expectBody(JsonNode.class).returnResult()
			.getResponseBody().get("gatewayOrderId").asText()).as("nothing to renew before a failure").isEqualTo(id);
		Map<String, String> failed = PaytmFlows.fields(this.flows.pay(order, "failure", null));
		this.flows.callback(failed).expectStatus().isSeeOther();
		assertThat(this.flows.get(buyer, id).get("status").asText()).isEqualTo("failed");

		JsonNode renewed = buyer.post(checkoutPath, Map.of())
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		String second = renewed.get("gatewayOrderId").asText();
		assertThat(second).startsWith("att_").isNotEqualTo(id);
		assertThat(renewed.at("/checkout/orderId").asText()).isEqualTo(second);
		assertThat(renewed.at("/checkout/txnToken").asText()).isNotEqualTo(order.at("/checkout/txnToken").asText());

		this.flows.callback(PaytmFlows.fields(this.flows.pay(renewed, "success", null)))
			.expectStatus()
			.isSeeOther()
			.expectHeader()
			.location("/order.html?id=" + id);
		JsonNode paid = this.flows.get(buyer, id);
		assertThat(paid.get("status").asText()).isEqualTo("paid");
		assertThat(paid.get("payments")).hasSize(2);
		// the first attempt's callback again: still this order's, and it changes nothing
		this.flows.callback(failed).expectStatus().isSeeOther();
		assertThat(this.flows.get(buyer, id).get("status").asText()).isEqualTo("paid");
		buyer.post(checkoutPath, Map.of()).expectStatus().isEqualTo(409);

		JsonNode refund = this.clients.admin()
			.post("/api/orders/" + id + "/refunds", Map.of())
			.expectStatus()
			.isCreated()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(refund.get("status").asText()).isEqualTo("processed");
		assertThat(this.flows.get(buyer, id).get("status").asText()).isEqualTo("refunded");
	}

	@Test
	void aForgedCallbackIs400AndChangesNothing() {
		ApiClient buyer = this.clients.customer();
		JsonNode order = this.flows.order(buyer, 23_400);
		String id = order.get("id").asText();
		Map<String, String> fields = PaytmFlows.fields(this.flows.pay(order, "success", null));

		Map<String, String> tampered = new java.util.LinkedHashMap<>(fields);
		tampered.put("TXNAMOUNT", "1.00");
		Map<String, String> badHash = new java.util.LinkedHashMap<>(fields);
		badHash.put("CHECKSUMHASH", PaytmChecksum.generate("something else", PaytmFlows.SANDBOX_KEY));
		Map<String, String> noHash = new java.util.LinkedHashMap<>(fields);
		noHash.remove("CHECKSUMHASH");
		Map<String, String> otherKey = new java.util.LinkedHashMap<>(fields);
		otherKey.put("CHECKSUMHASH", PaytmChecksum.generate(PaytmChecksum.callbackParams(fields), "another_key_16by"));
		Map<String, String> otherMid = new java.util.LinkedHashMap<>(fields);
		otherMid.put("MID", "SomeoneElse000000001");
		otherMid = PaytmFlows.signed(otherMid);

		for (Map<String, String> forged : List.of(tampered, badHash, noHash, otherKey, otherMid)) {
			this.flows.callback(forged)
				.expectStatus()
				.isBadRequest()
				.expectHeader()
				.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.code")
				.isEqualTo("invalid_signature");
		}
		assertThat(this.flows.get(buyer, id).get("status").asText()).isEqualTo("created");
		assertThat(TestData.eventStatuses(this.mongo, id)).containsExactly("CREATED");
	}

	@Test
	void aSignedCallbackClaimingSuccessForAFailedPaymentDoesNotPay() {
		ApiClient buyer = this.clients.customer();
		JsonNode order = this.flows.order(buyer, 34_500);
		String id = order.get("id").asText();
		Map<String, String> fields = PaytmFlows.fields(this.flows.pay(order, "failure", null));
		fields.put("STATUS", "TXN_SUCCESS");
		fields.put("RESPCODE", "01");
		fields.put("RESPMSG", "Txn Success");

		this.flows.callback(PaytmFlows.signed(fields)).expectStatus().isSeeOther();

		JsonNode after = this.flows.get(buyer, id);
		assertThat(after.get("status").asText()).isEqualTo("failed");
		assertThat(TestData.eventStatuses(this.mongo, id)).doesNotContain("PAID");
	}

	@Test
	void anAmountOtherThanTheOrdersAtTheGatewayLeavesTheOrderUnpaid() {
		ApiClient buyer = this.clients.customer();
		JsonNode order = this.flows.order(buyer, 45_600);
		String id = order.get("id").asText();
		Map<String, String> fields = PaytmFlows.fields(this.flows.pay(order, "success", "1.00"));
		assertThat(fields).containsEntry("TXNAMOUNT", "1.00");

		this.flows.callback(fields).expectStatus().isSeeOther();

		JsonNode after = this.flows.get(buyer, id);
		assertThat(after.get("status").asText()).isNotEqualTo("paid");
		assertThat(TestData.eventStatuses(this.mongo, id)).doesNotContain("PAID");
	}

	@Test
	void aValidCallbackForAnOrderTijoriDoesNotHaveIs404() {
		Map<String, String> fields = new java.util.LinkedHashMap<>();
		fields.put("ORDERID", "ord_00000000000000000000");
		fields.put("MID", PaytmFlows.SANDBOX_MID);
		fields.put("TXNID", "20260101000000000000000001");
		fields.put("STATUS", "TXN_SUCCESS");
		fields.put("TXNAMOUNT", "10.00");
		this.flows.callback(PaytmFlows.signed(fields))
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void withoutACallbackTheReconcilerSettlesPaidAndFailedOrders() {
		ApiClient buyer = this.clients.customer();
		JsonNode paidOrder = this.flows.order(buyer, 56_700);
		JsonNode failedOrder = this.flows.order(buyer, 67_800);
		JsonNode untouched = this.flows.order(buyer, 78_900);
		this.flows.pay(paidOrder, "success", null);
		this.flows.pay(failedOrder, "failure", null);

		Reconciler.Sweep sweep = this.reconciler.sweepNow().block(WAIT);

		assertThat(sweep.leased()).isTrue();
		assertThat(this.flows.get(buyer, paidOrder.get("id").asText()).get("status").asText()).isEqualTo("paid");
		assertThat(this.flows.get(buyer, failedOrder.get("id").asText()).get("status").asText()).isEqualTo("failed");
		assertThat(this.flows.get(buyer, untouched.get("id").asText()).get("status").asText()).isEqualTo("created");
	}

	@Test
	void partialThenFullRefundsGoThroughPaytmAndSettle() {
		ApiClient buyer = this.clients.customer();
		ApiClient admin = this.clients.admin();
		JsonNode order = this.flows.order(buyer, 10_000);
		String id = order.get("id").asText();
		Map<String, String> fields = PaytmFlows.fields(this.flows.pay(order, "success", null));
		this.flows.callback(fields).expectStatus().isSeeOther();

		JsonNode first = admin.post("/api/orders/" + id + "/refunds", Map.of("amount", 4_000))
			.expectStatus()
			.isCreated()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(first.get("status").asText()).isEqualTo("processed");
		assertThat(first.at("/amount/amount").asLong()).isEqualTo(4_000);
		assertThat(this.flows.get(admin, id).get("status").asText()).isEqualTo("partially_refunded");

		JsonNode rest = admin.post("/api/orders/" + id + "/refunds", Map.of())
			.expectStatus()
			.isCreated()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(rest.at("/amount/amount").asLong()).isEqualTo(6_000);
		JsonNode refunded = this.flows.get(admin, id);
		assertThat(refunded.get("status").asText()).isEqualTo("refunded");
		assertThat(refunded.at("/amountRefunded/amount").asLong()).isEqualTo(10_000);
		assertThat(TestData.eventStatuses(this.mongo, id)).containsExactly("CREATED", "PAID", "PARTIALLY_REFUNDED",
				"REFUNDED");

		// the adapter's refund status, straight from the sandbox's refund status API
		PaymentGateway paytm = this.gateways.find("paytm").orElseThrow();
		GatewayRefund status = paytm.fetchRefund(id, fields.get("TXNID"), first.get("id").asText(), null).block(WAIT);
		assertThat(status.status()).isEqualTo(GatewayRefund.Status.PROCESSED);
		assertThat(status.amount()).isEqualTo(Money.inr(4_000));
		assertThat(status.paymentId()).isEqualTo(fields.get("TXNID"));
		assertThat(paytm.fetchRefund(id, fields.get("TXNID"), "rfd_unknown", null).blockOptional(WAIT)).isEmpty();
		// and the sandbox refused to go past what was paid
		assertThatThrownBy(() -> paytm.refund(id, fields.get("TXNID"), Money.inr(1), "rfd_one_paisa_too_many").block(WAIT))
			.isInstanceOf(GatewayRejectedException.class);
	}

	@Test
	void aRetriedRefundWithTheSameKeyIsTheSameRefund() {
		ApiClient buyer = this.clients.customer();
		JsonNode order = this.flows.order(buyer, 20_000);
		String id = order.get("id").asText();
		Map<String, String> fields = PaytmFlows.fields(this.flows.pay(order, "success", null));
		PaymentGateway paytm = this.gateways.find("paytm").orElseThrow();

		GatewayRefund first = paytm.refund(id, fields.get("TXNID"), Money.inr(5_000), "rfd_retried_once_000001").block(WAIT);
		GatewayRefund again = paytm.refund(id, fields.get("TXNID"), Money.inr(5_000), "rfd_retried_once_000001").block(WAIT);

		assertThat(first.status()).isEqualTo(GatewayRefund.Status.PROCESSED);
		assertThat(again).isEqualTo(first);
		List<GatewayRefund> other = List.of(paytm.refund(id, fields.get("TXNID"), Money.inr(15_000), "rfd_retried_once_000002")
			.block(WAIT));
		assertThat(other.get(0).status()).isEqualTo(GatewayRefund.Status.PROCESSED);
		// 20 000 refunded in all: the order has nothing left at the gateway
		assertThat(paytm.fetchOrderPayments(id).block(WAIT).get(0).amountRefunded()).isEqualTo(20_000);
		assertThatThrownBy(() -> paytm.capture(fields.get("TXNID"), Money.inr(20_000)).block(WAIT))
			.isInstanceOf(GatewayRejectedException.class);
	}

	@Test
	void concurrentRefundsNeverTakeMoreThanWasPaid() throws Exception {
		ApiClient buyer = this.clients.customer();
		JsonNode order = this.flows.order(buyer, 30_000);
		String id = order.get("id").asText();
		Map<String, String> fields = PaytmFlows.fields(this.flows.pay(order, "success", null));
		PaymentGateway paytm = this.gateways.find("paytm").orElseThrow();
		java.util.concurrent.atomic.AtomicInteger key = new java.util.concurrent.atomic.AtomicInteger();

		List<Boolean> processed = TestData.concurrently(5, () -> {
			try {
				return paytm.refund(id, fields.get("TXNID"), Money.inr(10_000), "rfd_concurrent_" + key.incrementAndGet())
					.block(WAIT)
					.status() == GatewayRefund.Status.PROCESSED;
			}
			catch (GatewayRejectedException ex) {
				return false;
			}
		});

		assertThat(processed).filteredOn(Boolean::booleanValue).hasSize(3);
		assertThat(paytm.fetchOrderPayments(id).block(WAIT).get(0).amountRefunded()).isEqualTo(30_000);
	}

	@Test
	void theServerToServerNotificationConfirmsLikeTheCallback() {
		ApiClient buyer = this.clients.customer();
		JsonNode order = this.flows.order(buyer, 31_400);
		String id = order.get("id").asText();
		Map<String, String> fields = PaytmFlows.fields(this.flows.pay(order, "success", null));
		org.springframework.util.MultiValueMap<String, String> form = new org.springframework.util.LinkedMultiValueMap<>();
		fields.forEach(form::add);

		this.clients.anonymous()
			.raw()
			.post()
			.uri("/api/payments/paytm/webhook")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(org.springframework.web.reactive.function.BodyInserters.fromFormData(form))
			.exchange()
			.expectStatus()
			.isOk();

		assertThat(this.flows.get(buyer, id).get("status").asText()).isEqualTo("paid");
	}

	/** Paytm down at checkout: a 503 with Retry-After, and once it is back the same key finishes the same order. */
	@Test
	void paytmFailingAtCheckoutIs503AndTheSameKeyLaterGetsTheSameOrder() {
		ApiClient buyer = this.clients.customer();
		String product = this.clients.product(18_000);
		Map<String, Object> body = Map.of("items", List.of(Map.of("productId", product, "quantity", 1)), "gateway",
				"paytm");
		Map<String, String> key = Map.of("Idempotency-Key", "paytm-down-" + System.nanoTime());
		this.clients.anonymous()
			.exchange(org.springframework.http.HttpMethod.PUT, "/sandbox/paytm/_faults", Map.of("errorRate", 1.0),
					Map.of())
			.expectStatus()
			.isOk();
		try {
			buyer.post("/api/orders", body, key)
				.expectStatus()
				.isEqualTo(503)
				.expectHeader()
				.exists("Retry-After")
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		}
		finally {
			this.clients.anonymous().delete("/sandbox/paytm/_faults").expectStatus().isOk();
		}
		JsonNode order = buyer.post("/api/orders", body, key)
			.expectStatus()
			.is2xxSuccessful()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(order.at("/checkout/txnToken").asText()).isNotBlank();
		assertThat(buyer.get("/api/orders").expectBody(JsonNode.class).returnResult().getResponseBody().get("total")
			.asLong()).as("one order, finished by the retry").isEqualTo(1);
	}

	/** Paytm's JSON webhook shape: the head's signature over the body's exact text, then the status API decides. */
	@Test
	void aSignedJsonNotificationConfirmsAndABadSignatureIs400() {
		ApiClient buyer = this.clients.customer();
		JsonNode order = this.flows.order(buyer, 27_100);
		String id = order.get("id").asText();
		this.flows.pay(order, "success", null);
		// spaced oddly on purpose: the signature covers these exact characters, not a re-serialisation
		String body = "{ \"mid\": \"" + PaytmFlows.SANDBOX_MID + "\",  \"orderId\":\"" + id
				+ "\", \"status\":\"TXN_SUCCESS\" }";
		String forged = "{\"head\":{\"signature\":\"" + PaytmChecksum.generate(body, "wrong_key_123456")
				+ "\"},\"body\":" + body + "}";
		jsonNotification(forged).expectStatus().isBadRequest();
		assertThat(this.flows.get(buyer, id).get("status").asText()).isEqualTo("created");

		String signed = "{\"head\":{\"signatureType\":\"CHECKSUM\",\"signature\":\""
				+ PaytmChecksum.generate(body, PaytmFlows.SANDBOX_KEY) + "\"},\"body\":" + body + "}";
		jsonNotification(signed).expectStatus().isOk();
		assertThat(this.flows.get(buyer, id).get("status").asText()).isEqualTo("paid");
		jsonNotification("{\"head\":{},\"body\":[]}").expectStatus().isBadRequest();
	}

	private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec jsonNotification(String body) {
		return this.clients.anonymous()
			.raw()
			.post()
			.uri("/api/payments/paytm/webhook")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange();
	}

	@Test
	void aPaytmThatFailsHangsOrIsUnreachableIsUnavailableNeverAnError() {
		DisposableServer failing = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route(routes -> routes.post("/fail/**", (request, response) -> response.status(502).send())
				.post("/hang/**", (request, response) -> Mono.never())
				.post("/html/**", (request, response) -> response.sendString(Mono.just("<html>maintenance</html>"))))
			.bindNow();
		try {
			String base = "http://127.0.0.1:" + failing.port();
			for (String path : List.of("/fail", "/hang", "/html")) {
				PaytmGateway paytm = gatewayAt(base + path, Duration.ofMillis(300));
				assertThatThrownBy(() -> paytm.fetchOrderPayments("ord_any").block(WAIT)).as(path)
					.isInstanceOf(GatewayUnavailableException.class);
				assertThatThrownBy(() -> paytm.createOrder(GatewayOrderRequest.of(Money.inr(100), "ord_any")).block(WAIT))
					.as(path)
					.isInstanceOf(GatewayUnavailableException.class);
			}
			PaytmGateway unreachable = gatewayAt("http://127.0.0.1:1", Duration.ofSeconds(2));
			assertThatThrownBy(() -> unreachable.fetchRefund("ord_any", "1", "rfd_any", null).block(WAIT))
				.isInstanceOf(GatewayUnavailableException.class)
				.satisfies(ex -> assertThat(((GatewayUnavailableException) ex).status().value()).isEqualTo(503));
		}
		finally {
			failing.disposeNow();
		}
	}

	private PaytmGateway gatewayAt(String base, Duration timeout) {
		PaytmProperties properties = new PaytmProperties(null, null, "WEBSTAGING", base, timeout, Duration.ofSeconds(1),
				Duration.ofSeconds(5), new BreakerProperties(50, 20, 10, Duration.ofSeconds(10)),
				new PaytmProperties.Sandbox(PaytmFlows.SANDBOX_MID, PaytmFlows.SANDBOX_KEY));
		PaytmConfiguration.PaytmMode mode = new PaytmConfiguration.PaytmMode(false, PaytmFlows.SANDBOX_MID,
				PaytmFlows.SANDBOX_KEY, "WEBSTAGING", () -> base, base);
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		return new PaytmGateway(mode, WebClient.create(), PaytmConfiguration.circuitBreaker(properties, meters), this.callbackUrls,
				properties, this.objectMapper, meters);
	}

}
