package com.tijorihq.tijori.checkout;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;

import com.tijorihq.tijori.common.Money;
import com.tijorihq.tijori.gateway.GatewayPayment;
import com.tijorihq.tijori.gateway.Hmac;
import com.tijorihq.tijori.gateway.paytm.PaytmFlows;
import com.tijorihq.tijori.support.ApiClient;
import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;

import static com.tijorihq.tijori.checkout.CheckoutFixtures.line;
import static com.tijorihq.tijori.checkout.CheckoutFixtures.verifyBody;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rare sequences that used to take money twice, fail a live order or expire a paid one, each replayed over
 * real HTTP against the sandboxes. Sandbox webhooks stay off (the test default): each test delivers what the
 * gateway would send itself, signed as the gateway signs it.
 */
@IntegrationTest
class PaymentSequencesTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	private static final String WEBHOOK_SECRET = "tijori_test_webhook_secret";

	private static final ObjectMapper json = new ObjectMapper();

	@Autowired
	ApiClients clients;

	@Autowired
	Reconciler reconciler;

	@Autowired
	OrderRepository orders;

	@Autowired
	PaymentService payments;

	@Autowired
	ReconcileProperties properties;

	CheckoutFixtures fixtures;

	@BeforeEach
	void setUp() {
		this.fixtures = new CheckoutFixtures(this.clients);
	}

	@AfterEach
	void resetSandboxes() {
		for (String gateway : List.of("razorpay", "paytm", "payu")) {
			this.clients.anonymous().delete("/sandbox/" + gateway + "/_faults").expectStatus().isOk();
		}
	}

	/** Sequence 1, authorised: a late authorisation of an earlier failed payment on a paid order. */
	@Test
	void aSecondPaymentAuthorisedLateOnAPaidOrderIsNeverCaptured() {
		ApiClient buyer = this.clients.customer();
		JsonNode order = order(buyer, 41_000);
		String id = order.get("id").asText();
		String failed = failedPayment(order);
		payAndVerify(buyer, order);
		long version = this.orders.find(id).block(WAIT).version();

		lateAuthorize(failed, false);
		deliverWebhook("payment.authorized", failed, "evt_seq1a_" + failed);

		assertThat(sandboxPayment(failed).get("status").asText()).as("never captured by Tijori")
			.isEqualTo("authorized");
		JsonNode seen = adminView(id);
		assertThat(seen.get("status").asText()).isEqualTo("paid");
		JsonNode duplicate = payment(seen, failed);
		assertThat(duplicate.get("status").asText()).isEqualTo("authorized");
		assertThat(duplicate.get("duplicate").asBoolean()).isTrue();
		assertThat(texts(seen.get("flags"))).contains("duplicate_payment:" + failed);
		assertThat(seen.get("refunds")).as("an uncaptured authorisation is the gateway's to give back").isEmpty();
		assertThat(this.orders.find(id).block(WAIT).version()).as("no status change, no event").isEqualTo(version);
	}

	/** Sequence 1, captured: the duplicate arrives captured and is refunded once; the admin's refund takes the order's. */
	@Test
	void aDuplicateThatArrivesCapturedIsRefundedOnceAndTheOrdersRefundTakesTheRealPayment() {
		ApiClient buyer = this.clients.customer();
		JsonNode order = order(buyer, 42_000);
		String id = order.get("id").asText();
		String duplicateId = failedPayment(order);
		String realId = payAndVerify(buyer, order);

		lateAuthorize(duplicateId, true);
		// the gateway tells Tijori twice, under two event ids; the reconciler's money check runs as well
		deliverWebhook("payment.captured", duplicateId, "evt_seq1b_1_" + duplicateId);
		deliverWebhook("payment.captured", duplicateId, "evt_seq1b_2_" + duplicateId);
		this.reconciler.sweep(Instant.now().plus(Duration.ofMinutes(2))).block(WAIT);

		JsonNode refundsAtGateway = sandboxApi("/payments/" + duplicateId + "/refunds");
		assertThat(refundsAtGateway.get("count").asInt()).as("one refund of the duplicate, ever").isEqualTo(1);
		assertThat(refundsAtGateway.at("/items/0/amount").asLong()).isEqualTo(42_000);
		JsonNode seen = adminView(id);
		assertThat(seen.get("status").asText()).as("the order stays paid by its real payment").isEqualTo("paid");
		assertThat(payment(seen, duplicateId).get("duplicate").asBoolean()).isTrue();
		assertThat(payment(seen, realId).get("duplicate").asBoolean()).isFalse();
		assertThat(texts(seen.get("flags"))).contains("duplicate_payment:" + duplicateId);
		JsonNode duplicateRefund = seen.get("refunds").get(0);
		assertThat(seen.get("refunds")).hasSize(1);
		assertThat(duplicateRefund.get("gatewayPaymentId").asText()).isEqualTo(duplicateId);
		assertThat(duplicateRefund.get("duplicate").asBoolean()).isTrue();
		assertThat(duplicateRefund.at("/amount/amount").asLong()).isEqualTo(42_000);
		assertThat(seen.at("/amountRefunded/amount").asLong()).isZero();

		// the admin refunds the order: its real payment, never the duplicate's money twice
		JsonNode refund = this.clients.admin()
			.post("/api/orders/" + id + "/refunds", Map.of(), Map.of("Idempotency-Key", "seq1b-" + id))
			.expectStatus()
			.isCreated()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(refund.get("gatewayPaymentId").asText()).isEqualTo(realId);
		assertThat(refund.at("/amount/amount").asLong()).isEqualTo(42_000);
		assertThat(sandboxApi("/payments/" + duplicateId + "/refunds").get("count").asInt()).isEqualTo(1);
		assertThat(sandboxApi("/payments/" + realId + "/refunds").get("count").asInt()).isEqualTo(1);
		assertThat(adminView(id).get("status").asText()).isEqualTo("refunded");
	}

	/** Sequence 2: attempt 1 failed, attempt 2 under way; sweeps neither flip the order nor add events. */
	@Test
	void anOlderAttemptsFailureNeverFlipsTheOrderAndPayAgainWaitsForTheCurrentAttempt() {
		ApiClient buyer = this.clients.customer();
		JsonNode order = buyer
			.post("/api/orders", Map.of("gateway", "payu", "items", List.of(line(this.fixtures.product(43_000), 1))))
			.expectStatus()
			.isCreated()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		String id = order.get("id").asText();
		postForm(order.at("/checkout/action").asText(), checkoutForm(order)).expectStatus().isOk();
		payuPay(order.get("gatewayOrderId").asText(), "failure");
		this.reconciler.sweepNow().block(WAIT);
		assertThat(this.fixtures.get(buyer, id).get("status").asText()).isEqualTo("failed");

		JsonNode second = buyer.post("/api/orders/" + id + "/checkout", Map.of())
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		// the buyer opens PayU's page for the new attempt and has not paid yet: the transaction is pending
		postForm(second.at("/checkout/action").asText(), checkoutForm(second)).expectStatus().isOk();

		this.reconciler.sweepNow().block(WAIT);
		OrderDocument afterFirst = this.orders.find(id).block(WAIT);
		assertThat(afterFirst.status()).isEqualTo(OrderStatus.ATTEMPTED);
		for (int i = 0; i < 3; i++) {
			this.reconciler.sweepNow().block(WAIT);
			OrderDocument now = this.orders.find(id).block(WAIT);
			assertThat(now.status()).as("sweep %d", i).isEqualTo(OrderStatus.ATTEMPTED);
			assertThat(now.version()).as("no event per sweep").isEqualTo(afterFirst.version());
		}
		// no third attempt beside one that can still succeed
		JsonNode again = buyer.post("/api/orders/" + id + "/checkout", Map.of())
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(again.get("gatewayOrderId").asText()).isEqualTo(second.get("gatewayOrderId").asText());
		assertThat(again.get("attempts")).hasSize(2);
		assertThat(again.at("/attempts/0/status").asText()).isEqualTo("failed");
		assertThat(again.at("/attempts/1/status").asText()).isEqualTo("pending");
		assertThat(again.at("/attempts/1/current").asBoolean()).isTrue();
	}

	/** Sequence 3: the reconciler read the order unpaid; an authorised payment arrived before its write. */
	@Test
	void anOrderThatGotAnAuthorisedPaymentAfterTheReconcilersReadIsNotExpired() {
		ApiClient buyer = this.clients.customer();
		JsonNode order = order(buyer, 44_000);
		String id = order.get("id").asText();
		String paymentId = failedPayment(order);
		OrderDocument stale = this.orders.find(id).block(WAIT);
		assertThat(stale.status()).isEqualTo(OrderStatus.CREATED);

		// the payment is authorised late; Tijori hears of it but the gateway refuses the capture for now
		lateAuthorize(paymentId, false);
		sandboxFaults(Map.of("errorRate", 1.0));
		GatewayPayment authorised = new GatewayPayment(paymentId, order.get("gatewayOrderId").asText(),
				new Money(44_000, "INR"), GatewayPayment.Status.AUTHORIZED, "card", 0, null, null);
		this.payments.applyGatewayPayment("razorpay", authorised).onErrorResume(ex -> reactor.core.publisher.Mono.empty())
			.block(WAIT);
		this.clients.anonymous().delete("/sandbox/razorpay/_faults").expectStatus().isOk();
		OrderDocument current = this.orders.find(id).block(WAIT);
		assertThat(current.status()).isEqualTo(OrderStatus.ATTEMPTED);
		assertThat(current.paymentMap().get(paymentId).status()).isEqualTo(PaymentStatus.AUTHORIZED);

		// the expiry decided on the stale read must not land
		Instant late = stale.createdAt().plus(this.properties.expireAfter()).plus(Duration.ofMinutes(1));
		this.reconciler.expireIfDue(stale, late).block(WAIT);
		assertThat(this.orders.find(id).block(WAIT).status()).isEqualTo(OrderStatus.ATTEMPTED);

		// and the next sweep captures it: the buyer's money pays the order
		this.reconciler.sweepNow().block(WAIT);
		assertThat(this.fixtures.get(buyer, id).get("status").asText()).isEqualTo("paid");
	}

	/** Sequence 6: a replay of a known Idempotency-Key is answered from the key, whatever changed since. */
	@Test
	void anIdempotentReplayReturnsTheStoredOrderEvenAfterTheProductWasDeactivated() {
		ApiClient buyer = this.clients.customer();
		String product = this.fixtures.product(45_000);
		Map<String, Object> body = Map.of("items", List.of(line(product, 1)));
		Map<String, String> key = Map.of("Idempotency-Key", "seq6-" + product);
		JsonNode created = buyer.post("/api/orders", body, key)
			.expectStatus()
			.isCreated()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		this.clients.admin().delete("/api/products/" + product).expectStatus().is2xxSuccessful();
		// and the gateway is failing every call right now
		sandboxFaults(Map.of("errorRate", 1.0));

		JsonNode replayed = buyer.post("/api/orders", body, key)
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(replayed.get("id").asText()).isEqualTo(created.get("id").asText());
		assertThat(replayed.get("gatewayOrderId").asText()).isEqualTo(created.get("gatewayOrderId").asText());
		// a new order for the deactivated product is still refused
		buyer.post("/api/orders", body, Map.of("Idempotency-Key", "seq6-new-" + product))
			.expectStatus()
			.isNotFound();
	}

	/**
	 * Sequence 4 at a gateway that does not dedupe a re-sent refund (Paytm): the answer is lost, the reservation
	 * stays, and the refund is settled by asking Paytm about its refund id, never by sending it again blind.
	 */
	@Test
	void aPaytmRefundWhoseAnswerIsLostKeepsItsReservationAndIsSettledByAskingPaytm() {
		PaytmFlows paytm = new PaytmFlows(this.clients);
		ApiClient buyer = this.clients.customer();
		JsonNode order = paytm.order(buyer, 46_000);
		String id = order.get("id").asText();
		paytm.callback(PaytmFlows.fields(paytm.pay(order, "success", null))).expectStatus().isSeeOther();
		assertThat(this.fixtures.get(buyer, id).get("status").asText()).isEqualTo("paid");

		faults("paytm", Map.of("loseRefundAnswers", true));
		ApiClient admin = this.clients.admin();
		Map<String, String> key = Map.of("Idempotency-Key", "seq4-paytm-" + id);
		admin.post("/api/orders/" + id + "/refunds", Map.of(), key).expectStatus().isEqualTo(503);
		this.clients.anonymous().delete("/sandbox/paytm/_faults").expectStatus().isOk();

		// the money stays reserved while Paytm may be paying it: no second refund can take it
		JsonNode reserved = adminView(id);
		assertThat(reserved.at("/refunds/0/status").asText()).isEqualTo("pending");
		assertThat(reserved.at("/payments/0/refundable/amount").asLong()).isZero();
		admin.post("/api/orders/" + id + "/refunds", Map.of("amount", 1_000),
				Map.of("Idempotency-Key", "seq4-paytm-other-" + id))
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("over_refund");

		// the admin retries with the same key: Tijori asks Paytm about the refund id first and finds it
		admin.post("/api/orders/" + id + "/refunds", Map.of(), key).expectStatus().isOk();
		this.reconciler.sweep(Instant.now().plus(Duration.ofMinutes(2))).block(WAIT);
		JsonNode settled = adminView(id);
		assertThat(settled.get("refunds")).hasSize(1);
		assertThat(settled.at("/refunds/0/gatewayRefundId").asText()).isNotEmpty();
		assertThat(settled.at("/refunds/0/amount/amount").asLong()).isEqualTo(46_000);
	}

	/** Sequence 4 at a gateway that honours the refund id as an idempotency key (Razorpay): re-sent, refunded once. */
	@Test
	void aRazorpayRefundWhoseAnswerIsLostIsSentAgainWithTheSameKeyAndRefundedOnce() {
		ApiClient buyer = this.clients.customer();
		JsonNode order = order(buyer, 47_000);
		String id = order.get("id").asText();
		String paymentId = payAndVerify(buyer, order);

		sandboxFaults(Map.of("loseRefundAnswers", true));
		this.clients.admin()
			.post("/api/orders/" + id + "/refunds", Map.of(), Map.of("Idempotency-Key", "seq4-rzp-" + id))
			.expectStatus()
			.isEqualTo(503);
		this.clients.anonymous().delete("/sandbox/razorpay/_faults").expectStatus().isOk();
		assertThat(adminView(id).at("/refunds/0/status").asText()).isEqualTo("pending");

		// nobody retries: a minute later the reconciler sends it again under the same key
		this.reconciler.sweep(Instant.now().plus(Duration.ofMinutes(2))).block(WAIT);
		JsonNode settled = adminView(id);
		assertThat(settled.at("/refunds/0/status").asText()).isEqualTo("processed");
		assertThat(settled.get("status").asText()).isEqualTo("refunded");
		assertThat(sandboxApi("/payments/" + paymentId + "/refunds").get("count").asInt()).isEqualTo(1);
	}

	/** Sequence 5: a Razorpay refund accepted as pending, whose webhook never comes, is settled by asking. */
	@Test
	void aPendingRazorpayRefundWhoseWebhookNeverComesIsSettledByTheReconciler() {
		ApiClient buyer = this.clients.customer();
		JsonNode order = order(buyer, 48_000);
		String id = order.get("id").asText();
		payAndVerify(buyer, order);

		sandboxFaults(Map.of("pendingRefunds", true));
		JsonNode refund = this.clients.admin()
			.post("/api/orders/" + id + "/refunds", Map.of("amount", 20_000), Map.of("Idempotency-Key", "seq5-" + id))
			.expectStatus()
			.isCreated()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(refund.get("status").asText()).isEqualTo("pending");
		this.reconciler.sweepNow().block(WAIT);
		assertThat(adminView(id).at("/refunds/0/status").asText()).as("still pending at Razorpay").isEqualTo("pending");

		// the bank pays it; the webhook is lost (sandbox webhooks are off); the reconciler asks Razorpay
		this.clients.anonymous().post("/sandbox/razorpay/_process_refunds", Map.of()).expectStatus().isOk();
		this.reconciler.sweepNow().block(WAIT);
		JsonNode settled = adminView(id);
		assertThat(settled.at("/refunds/0/status").asText()).isEqualTo("processed");
		assertThat(settled.get("status").asText()).isEqualTo("partially_refunded");
		assertThat(settled.at("/amountRefunded/amount").asLong()).isEqualTo(20_000);
	}

	/** Sequence 1, lost notification: a late capture on a paid order is found by the reconciler's money check. */
	@Test
	void aLateCaptureOnAPaidOrderWhoseNotificationIsLostIsFoundAndRefundedByTheReconciler() {
		ApiClient buyer = this.clients.customer();
		JsonNode order = order(buyer, 49_000);
		String id = order.get("id").asText();
		String late = failedPayment(order);
		payAndVerify(buyer, order);

		// captured late at the gateway; its webhook never arrives (sandbox webhooks are off here)
		lateAuthorize(late, true);
		this.reconciler.sweep(Instant.now().plus(this.properties.unansweredAfter()).plusSeconds(1)).block(WAIT);

		assertThat(sandboxApi("/payments/" + late + "/refunds").get("count").asInt()).isEqualTo(1);
		JsonNode seen = adminView(id);
		assertThat(seen.get("status").asText()).isEqualTo("paid");
		assertThat(payment(seen, late).get("duplicate").asBoolean()).isTrue();
		assertThat(texts(seen.get("flags"))).contains("duplicate_payment:" + late);
	}

	/** The scheduled sweep is one Mono that Spring subscribes on every tick: each run must read the clock anew. */
	@Test
	void theScheduledSweepReadsTheClockWhenItRunsNotWhenItWasBuilt() {
		reactor.core.publisher.Mono<Void> tick = this.reconciler.scheduled();
		ApiClient buyer = this.clients.customer();
		JsonNode order = order(buyer, 50_000);
		this.fixtures.pay(order, "success");
		tick.block(WAIT);
		assertThat(this.fixtures.get(buyer, order.get("id").asText()).get("status").asText())
			.as("an order made after the sweep's Mono was built is still reconciled by it")
			.isEqualTo("paid");
	}

	private void faults(String gateway, Map<String, Object> faults) {
		this.clients.anonymous()
			.raw()
			.put()
			.uri("/sandbox/" + gateway + "/_faults")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(faults)
			.exchange()
			.expectStatus()
			.isOk();
	}

	private JsonNode order(ApiClient buyer, long paise) {
		return this.fixtures.createOrder(buyer, List.of(line(this.fixtures.product(paise), 1)));
	}

	private JsonNode adminView(String orderId) {
		return this.fixtures.get(this.clients.admin(), orderId);
	}

	private static JsonNode payment(JsonNode order, String gatewayPaymentId) {
		for (JsonNode payment : order.get("payments")) {
			if (gatewayPaymentId.equals(payment.get("gatewayPaymentId").asText())) {
				return payment;
			}
		}
		throw new AssertionError("no payment " + gatewayPaymentId + " on " + order);
	}

	private static List<String> texts(JsonNode array) {
		List<String> texts = new java.util.ArrayList<>();
		array.forEach(node -> texts.add(node.asText()));
		return texts;
	}

	private void lateAuthorize(String paymentId, boolean capture) {
		this.clients.anonymous()
			.post("/sandbox/razorpay/_late_authorization", Map.of("payment_id", paymentId, "capture", capture))
			.expectStatus()
			.isOk();
	}

	private void sandboxFaults(Map<String, Object> faults) {
		faults("razorpay", faults);
	}

	/** A failed payment in Razorpay's sandbox; its id. */
	private String failedPayment(JsonNode order) {
		return this.fixtures.pay(order, "failure").get("razorpay_payment_id").asText();
	}

	/** Pays in Razorpay's sandbox and verifies as the buyer's browser would; the payment's id. */
	private String payAndVerify(ApiClient buyer, JsonNode order) {
		JsonNode paid = this.fixtures.pay(order, "success");
		buyer.post("/api/orders/" + order.get("id").asText() + "/verify", verifyBody(paid)).expectStatus().isOk();
		return paid.get("razorpay_payment_id").asText();
	}

	private JsonNode sandboxPayment(String paymentId) {
		return sandboxApi("/payments/" + paymentId);
	}

	private JsonNode sandboxApi(String path) {
		return this.clients.anonymous()
			.raw()
			.get()
			.uri("/sandbox/razorpay/v1" + path)
			.headers(h -> h.setBasicAuth("rzp_test_sandboxTijori1", "tijori_sandbox_secret"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

	/** A signed Razorpay webhook naming the payment as the sandbox has it now. */
	@SuppressWarnings("unchecked")
	private void deliverWebhook(String event, String paymentId, String eventId) {
		Map<String, Object> entity = json.convertValue(sandboxPayment(paymentId), Map.class);
		Map<String, Object> envelope = new LinkedHashMap<>();
		envelope.put("entity", "event");
		envelope.put("event", event);
		envelope.put("contains", List.of("payment"));
		envelope.put("payload", Map.of("payment", Map.of("entity", entity)));
		envelope.put("created_at", Instant.now().getEpochSecond());
		byte[] body;
		try {
			body = json.writeValueAsBytes(envelope);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		this.clients.anonymous()
			.raw()
			.post()
			.uri("/api/webhooks/razorpay")
			.contentType(MediaType.APPLICATION_JSON)
			.header("X-Razorpay-Signature", Hmac.sha256Hex(WEBHOOK_SECRET, body))
			.header("X-Razorpay-Event-Id", eventId)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isOk();
	}

	private void payuPay(String txnid, String outcome) {
		this.clients.anonymous()
			.post("/sandbox/payu/pay", Map.of("txnid", txnid, "outcome", outcome))
			.expectStatus()
			.isOk();
	}

	private static MultiValueMap<String, String> checkoutForm(JsonNode order) {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		order.get("checkout").fields().forEachRemaining(field -> {
			if (!"action".equals(field.getKey())) {
				form.add(field.getKey(), field.getValue().asText());
			}
		});
		return form;
	}

	private WebTestClient.ResponseSpec postForm(String path, MultiValueMap<String, String> form) {
		return this.clients.anonymous()
			.raw()
			.post()
			.uri(path)
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(BodyInserters.fromFormData(form))
			.exchange();
	}

}
