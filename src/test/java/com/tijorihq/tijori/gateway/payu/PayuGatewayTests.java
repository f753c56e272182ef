package com.tijorihq.tijori.gateway.payu;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.util.HtmlUtils;

import com.tijorihq.tijori.checkout.Reconciler;
import com.tijorihq.tijori.common.Money;
import com.tijorihq.tijori.gateway.GatewayPayment;
import com.tijorihq.tijori.gateway.GatewayRefund;
import com.tijorihq.tijori.gateway.PaymentGateway;
import com.tijorihq.tijori.gateway.PaymentGateways;
import com.tijorihq.tijori.support.ApiClient;
import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;
import com.tijorihq.tijori.support.TestData;

import static org.assertj.core.api.Assertions.assertThat;

/** PayU end to end over real HTTP: the adapter, Tijori's callback and the PayU sandbox. */
@IntegrationTest
class PayuGatewayTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final String CALLBACK = "/api/payments/payu/callback";

	private static final Pattern HIDDEN = Pattern
		.compile("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">");

	@Autowired
	ApiClients clients;

	@Autowired
	PayuProperties properties;

	@Autowired
	PaymentGateways gateways;

	@Autowired
	Reconciler reconciler;

	@Autowired
	ReactiveMongoTemplate mongo;

	private final ObjectMapper json = new ObjectMapper();

	@Test
	void aPaidCallbackConfirmedByVerifyPaymentMakesTheOrderPaid() {
		ApiClient buyer = this.clients.customer();
		JsonNode order = order(buyer, 49_900);
		String id = order.get("id").asText();
		assertThat(order.get("gateway").asText()).isEqualTo("payu");
		assertThat(order.get("gatewayOrderId").asText()).isEqualTo(id);
		JsonNode checkout = order.get("checkout");
		assertThat(checkout.get("action").asText()).isEqualTo("/sandbox/payu/_payment");
		assertThat(checkout.get("key").asText()).isEqualTo(this.properties.sandbox().key());
		assertThat(checkout.get("txnid").asText()).isEqualTo(id);
		assertThat(checkout.get("amount").asText()).isEqualTo("499.00");
		assertThat(checkout.get("surl").asText()).isEqualTo(CALLBACK);
		assertThat(checkout.get("furl").asText()).isEqualTo(CALLBACK);
		assertThat(checkout.get("udf1").asText()).isEqualTo(id);
		assertThat(checkout.get("phone").asText()).isEqualTo(PayuGateway.PHONE);
		assertThat(checkout.get("firstname").asText()).isEqualTo("Test User");
		assertThat(checkout.get("hash").asText()).matches("[0-9a-f]{128}");
		assertThat(order.toString()).doesNotContain(this.properties.sandbox().salt());

		Map<String, String> fields = payAtSandbox(order, "success", null);
		assertThat(fields).containsEntry("status", "success").containsEntry("txnid", id).containsKey("mihpayid");
		String location = callback(fields).expectStatus()
			.isSeeOther()
			.returnResult(Void.class)
			.getResponseHeaders()
			.getLocation()
			.toString();
		assertThat(location).isEqualTo("/order.html?id=" + id);

		JsonNode paid = get(buyer, id);
		assertThat(paid.get("status").asText()).isEqualTo("paid");
		assertThat(paid.get("payments")).hasSize(1);
		assertThat(paid.at("/payments/0/status").asText()).isEqualTo("captured");
		assertThat(paid.at("/payments/0/gatewayPaymentId").asText()).isEqualTo(fields.get("mihpayid"));
		assertThat(paid.at("/payments/0/amount/amount").asLong()).isEqualTo(49_900);
		assertThat(TestData.eventStatuses(this.mongo, id)).containsExactly("CREATED", "PAID");
	}

	@Test
	void theGatewayListShowsPayuWithItsPublicKeyAndFormAction() {
		JsonNode list = this.clients.anonymous()
			.get("/api/gateways")
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		JsonNode payu = null;
		for (JsonNode item : list.get("items")) {
			if ("payu".equals(item.get("name").asText())) {
				payu = item;
			}
		}
		assertThat(payu).isNotNull();
		assertThat(payu.get("sandbox").asBoolean()).isTrue();
		assertThat(payu.at("/checkout/action").asText()).isEqualTo("/sandbox/payu/_payment");
		assertThat(payu.at("/checkout/key").asText()).isEqualTo(this.properties.sandbox().key());
		assertThat(list.toString()).doesNotContain(this.properties.sandbox().salt());
	}

	@Test
	void aFailedPaymentMakesTheOrderFailed() {
		ApiClient buyer = this.clients.customer();
		JsonNode order = order(buyer, 12_300);
		Map<String, String> fields = payAtSandbox(order, "failure", null);
		assertThat(fields).containsEntry("status", "failure");
		callback(fields).expectStatus().isSeeOther();
		JsonNode failed = get(buyer, order.get("id").asText());
		assertThat(failed.get("status").asText()).isEqualTo("failed");
		assertThat(failed.at("/payments/0/status").asText()).isEqualTo("failed");
	}

	/** PayU takes each txnid once: paying again after a failure posts a new PayU transaction of the same order. */
	@Test
	void afterAFailedPaymentTheBuyerPaysAgainOnTheSameOrderThroughANewTransaction() {
		ApiClient buyer = this.clients.customer();
		JsonNode order = order(buyer, 16_900);
		String id = order.get("id").asText();
		callback(payAtSandbox(order, "failure", null)).expectStatus().isSeeOther();
		assertThat(get(buyer, id).get("status").asText()).isEqualTo("failed");

		JsonNode renewed = buyer.post("/api/orders/" + id + "/checkout", Map.of())
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		String txnid = renewed.get("gatewayOrderId").asText();
		assertThat(txnid).startsWith("att_").hasSizeLessThanOrEqualTo(25);
		assertThat(renewed.at("/checkout/txnid").asText()).isEqualTo(txnid);
		assertThat(renewed.at("/checkout/hash").asText()).isNotEqualTo(order.at("/checkout/hash").asText());

		callback(payAtSandbox(renewed, "success", null)).expectStatus()
			.isSeeOther()
			.expectHeader()
			.location("/order.html?id=" + id);
		JsonNode paid = get(buyer, id);
		assertThat(paid.get("status").asText()).isEqualTo("paid");
		assertThat(paid.get("payments").findValuesAsText("status")).containsExactlyInAnyOrder("failed", "captured");
		// the reconciler looks at both transactions and changes nothing
		assertThat(this.reconciler.sweepNow().block(WAIT).leased()).isTrue();
		assertThat(get(buyer, id).get("status").asText()).isEqualTo("paid");
	}

	@Test
	void aForgedCallbackIs400AndChangesNothing() {
		ApiClient buyer = this.clients.customer();
		JsonNode order = order(buyer, 20_000);
		String id = order.get("id").asText();
		Map<String, String> fields = payAtSandbox(order, "success", null);
		JsonNode before = get(buyer, id);

		Map<String, String> tampered = new LinkedHashMap<>(fields);
		tampered.put("amount", "1.00");
		Map<String, String> badHash = new LinkedHashMap<>(fields);
		badHash.put("hash", "0".repeat(128));
		Map<String, String> noHash = new LinkedHashMap<>(fields);
		noHash.remove("hash");
		Map<String, String> otherKey = new LinkedHashMap<>(fields);
		otherKey.put("key", "someoneElse");
		otherKey.put("hash", PayuHash.response(otherKey, this.properties.sandbox().salt()));
		for (Map<String, String> forged : List.of(tampered, badHash, noHash, otherKey)) {
			callback(forged).expectStatus()
				.isBadRequest()
				.expectHeader()
				.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.code")
				.isEqualTo("invalid_signature");
		}
		JsonNode after = get(buyer, id);
		assertThat(after.get("status").asText()).isEqualTo("created");
		assertThat(after.get("updatedAt")).isEqualTo(before.get("updatedAt"));
		assertThat(after.get("payments")).isEmpty();
	}

	@Test
	void aSignedSuccessThatVerifyPaymentContradictsDoesNotPay() {
		ApiClient buyer = this.clients.customer();
		JsonNode order = order(buyer, 30_000);
		Map<String, String> failed = payAtSandbox(order, "failure", null);
		// correctly signed (someone holding the salt, or a replayed form) but PayU's records say failure
		Map<String, String> claim = new LinkedHashMap<>(failed);
		claim.put("status", "success");
		claim.put("hash", PayuHash.response(claim, this.properties.sandbox().salt()));
		callback(claim).expectStatus().isSeeOther();
		JsonNode after = get(buyer, order.get("id").asText());
		assertThat(after.get("status").asText()).isEqualTo("failed");
		assertThat(after.at("/payments/0/status").asText()).isEqualTo("failed");
	}

	@Test
	void anAmountOtherThanTheOrdersIsNotPaidAndIsFlagged() {
		ApiClient buyer = this.clients.customer();
		JsonNode order = order(buyer, 40_000);
		String id = order.get("id").asText();
		Map<String, String> fields = payAtSandbox(order, "success", "1.00");
		assertThat(fields).containsEntry("amount", "1.00");
		callback(fields).expectStatus().isSeeOther();
		JsonNode after = get(buyer, id);
		assertThat(after.get("status").asText()).isNotEqualTo("paid");
		assertThat(after.at("/payments/0/amount/amount").asLong()).isEqualTo(100);
		Document stored = this.mongo.findOne(Query.query(Criteria.where("publicId").is(id)), Document.class, "orders")
			.block(WAIT);
		assertThat(stored.getList("flags", String.class)).anySatisfy(flag -> assertThat(flag).startsWith("amount_mismatch"));
	}

	@Test
	void aRepeatedCallbackChangesNothing() {
		ApiClient buyer = this.clients.customer();
		JsonNode order = order(buyer, 15_000);
		String id = order.get("id").asText();
		Map<String, String> fields = payAtSandbox(order, "success", null);
		callback(fields).expectStatus().isSeeOther();
		JsonNode first = get(buyer, id);
		callback(fields).expectStatus().isSeeOther();
		// the buyer reloading the sandbox's return gets the same signed fields
		assertThat(payOnly(order, "success", null)).isEqualTo(fields);
		JsonNode second = get(buyer, id);
		assertThat(second.get("status").asText()).isEqualTo("paid");
		assertThat(second.get("updatedAt")).isEqualTo(first.get("updatedAt"));
		assertThat(second.get("payments")).hasSize(1);
		assertThat(TestData.eventStatuses(this.mongo, id)).containsExactly("CREATED", "PAID");
	}

	@Test
	void aValidCallbackForAnUnknownOrderIs404() {
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("key", this.properties.sandbox().key());
		fields.put("txnid", "ord_doesNotExist00000000");
		fields.put("amount", "10.00");
		fields.put("status", "success");
		fields.put("hash", PayuHash.response(fields, this.properties.sandbox().salt()));
		callback(fields).expectStatus().isNotFound();
	}

	@Test
	void theHostedPagePathWorksAsABrowserWouldUseIt() {
		ApiClient buyer = this.clients.customer();
		JsonNode order = order(buyer, 25_000);
		String id = order.get("id").asText();
		String page = openAtSandbox(order).expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.TEXT_HTML)
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(page).contains("id=\"pay\"", "id=\"fail\"", id, "250.00", "action=\"/sandbox/payu/pay\"");

		MultiValueMap<String, String> choice = new LinkedMultiValueMap<>();
		choice.add("txnid", id);
		choice.add("outcome", "success");
		String redirect = form("/sandbox/payu/pay", choice).expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(redirect).contains("<form id=\"return\" method=\"post\" action=\"" + CALLBACK + "\">",
				"id=\"continue\"", ".submit()");
		Map<String, String> fields = new LinkedHashMap<>();
		Matcher hidden = HIDDEN.matcher(redirect);
		while (hidden.find()) {
			fields.put(HtmlUtils.htmlUnescape(hidden.group(1)), HtmlUtils.htmlUnescape(hidden.group(2)));
		}
		assertThat(PayuHash.verifyResponse(fields, this.properties.sandbox().salt())).isTrue();
		callback(fields).expectStatus().isSeeOther();
		assertThat(get(buyer, id).get("status").asText()).isEqualTo("paid");
	}

	@Test
	void aFormWithABadHashGetsPayusErrorPage() {
		ApiClient buyer = this.clients.customer();
		JsonNode order = order(buyer, 26_000);
		MultiValueMap<String, String> form = checkoutForm(order);
		form.set("amount", "1.00");
		String page = form("/sandbox/payu/_payment", form).expectStatus()
			.isBadRequest()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(page).contains("incorrectly calculated hash");
		MultiValueMap<String, String> otherKey = checkoutForm(order);
		otherKey.set("key", "notOurs");
		form("/sandbox/payu/_payment", otherKey).expectStatus().isBadRequest();
	}

	@Test
	void theReconcilerPaysAnOrderWhoseBuyerNeverCameBackAndFailsAFailedOne() {
		ApiClient buyer = this.clients.customer();
		JsonNode paid = order(buyer, 11_100);
		JsonNode failed = order(buyer, 11_200);
		payAtSandbox(paid, "success", null);
		payAtSandbox(failed, "failure", null);
		assertThat(get(buyer, paid.get("id").asText()).get("status").asText()).isEqualTo("created");

		Reconciler.Sweep sweep = this.reconciler.sweepNow().block(Duration.ofSeconds(60));

		assertThat(sweep.leased()).isTrue();
		assertThat(sweep.reconciled()).contains(paid.get("id").asText(), failed.get("id").asText());
		assertThat(get(buyer, paid.get("id").asText()).get("status").asText()).isEqualTo("paid");
		assertThat(get(buyer, failed.get("id").asText()).get("status").asText()).isEqualTo("failed");
	}

	@Test
	void refundsAreQueuedAtPayuAndSettledByCheckActionStatus() {
		ApiClient buyer = this.clients.customer();
		JsonNode order = order(buyer, 10_000);
		String id = order.get("id").asText();
		callback(payAtSandbox(order, "success", null)).expectStatus().isSeeOther();
		ApiClient admin = this.clients.admin();

		JsonNode partial = admin.post("/api/orders/" + id + "/refunds", Map.of("amount", 4_000))
			.expectStatus()
			.isCreated()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(partial.get("status").asText()).isEqualTo("pending");
		assertThat(partial.get("gatewayRefundId").asText()).matches("\\d+");
		JsonNode rest = admin.post("/api/orders/" + id + "/refunds", Map.of())
			.expectStatus()
			.isCreated()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(rest.at("/amount/amount").asLong()).isEqualTo(6_000);
		assertThat(rest.get("status").asText()).isEqualTo("pending");
		JsonNode after = get(admin, id);
		assertThat(after.get("refunds")).hasSize(2);
		assertThat(after.at("/amountRefunded/amount").asLong()).isZero();

		PaymentGateway payu = payu();
		String paymentId = after.at("/payments/0/gatewayPaymentId").asText();
		GatewayRefund settled = payu
			.fetchRefund(id, paymentId, partial.get("id").asText(), partial.get("gatewayRefundId").asText())
			.block(WAIT);
		assertThat(settled).isEqualTo(new GatewayRefund(partial.get("gatewayRefundId").asText(), paymentId,
				Money.inr(4_000), GatewayRefund.Status.PROCESSED));
		assertThat(payu.fetchRefund(id, paymentId, "rfd_unknown", "123").blockOptional(WAIT)).isEmpty();

		// the same token again is PayU's duplicate refusal: a refund in progress, never a refused one; its refund
		// is found by the token alone; nothing is left to refund beyond it
		org.assertj.core.api.Assertions
			.assertThatThrownBy(() -> payu.refund(id, paymentId, Money.inr(4_000), partial.get("id").asText()).block(WAIT))
			.isInstanceOfSatisfying(com.tijorihq.tijori.gateway.GatewayRejectedException.class, rejected -> {
				assertThat(rejected.status()).isEqualTo(org.springframework.http.HttpStatus.CONFLICT);
				assertThat(rejected.code()).isEqualTo("refund_in_progress");
			});
		assertThat(payu.fetchRefund(id, paymentId, partial.get("id").asText(), null).block(WAIT))
			.isEqualTo(settled);
		org.assertj.core.api.Assertions
			.assertThatThrownBy(() -> payu.refund(id, paymentId, Money.inr(100), "rfd_overRefund000000000").block(WAIT))
			.isInstanceOf(com.tijorihq.tijori.gateway.GatewayRejectedException.class);

		// the reconciler asks PayU about the queued refunds; only then is the money counted as refunded
		assertThat(this.reconciler.sweepNow().block(WAIT).leased()).isTrue();
		JsonNode refunded = get(admin, id);
		assertThat(refunded.get("status").asText()).isEqualTo("refunded");
		assertThat(refunded.at("/amountRefunded/amount").asLong()).isEqualTo(10_000);
		assertThat(refunded.get("refunds").findValuesAsText("status")).containsExactly("processed", "processed");
		String updatedAt = refunded.get("updatedAt").asText();
		assertThat(this.reconciler.sweepNow().block(WAIT).leased()).isTrue();
		assertThat(get(admin, id).get("updatedAt").asText()).as("a second sweep changes nothing").isEqualTo(updatedAt);
	}

	/** PayU's API down while the buyer comes back: sent to the order page unchanged; the reconciler settles it. */
	@Test
	void aCallbackWhilePayusApiIsDownChangesNothingAndTheReconcilerPaysLater() {
		ApiClient buyer = this.clients.customer();
		JsonNode order = order(buyer, 21_000);
		String id = order.get("id").asText();
		Map<String, String> fields = payAtSandbox(order, "success", null);
		sandboxFaults(Map.of("errorRate", 1.0));
		try {
			callback(fields).expectStatus().isSeeOther().expectHeader().location("/order.html?id=" + id);
			assertThat(get(buyer, id).get("status").asText()).isEqualTo("created");
		}
		finally {
			this.clients.anonymous()
				.delete("/sandbox/payu/_faults")
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.errorRate")
				.isEqualTo(0.0);
		}
		assertThat(this.reconciler.sweepNow().block(WAIT).leased()).isTrue();
		assertThat(get(buyer, id).get("status").asText()).isEqualTo("paid");
	}

	private void sandboxFaults(Map<String, Object> faults) {
		this.clients.anonymous()
			.exchange(org.springframework.http.HttpMethod.PUT, "/sandbox/payu/_faults", faults, Map.of())
			.expectStatus()
			.isOk();
	}

	@Test
	void theAdapterReadsPayusStatusesExactly() {
		PaymentGateway payu = payu();
		assertThat(payu.fetchOrderPayments("ord_neverPostedToPayu0000").block(WAIT)).isEmpty();
		assertThat(payu.findOrderByReceipt("ord_neverPostedToPayu0000").blockOptional(WAIT)).isEmpty();

		ApiClient buyer = this.clients.customer();
		JsonNode order = order(buyer, 33_333);
		String id = order.get("id").asText();
		openAtSandbox(order).expectStatus().isOk();
		List<GatewayPayment> pending = payu.fetchOrderPayments(id).block(WAIT);
		assertThat(pending).hasSize(1);
		assertThat(pending.get(0).status()).isEqualTo(GatewayPayment.Status.CREATED);
		Map<String, String> fields = payAtSandbox(order, "success", null);
		GatewayPayment captured = payu.fetchOrderPayments(id).block(WAIT).get(0);
		assertThat(captured).isEqualTo(new GatewayPayment(fields.get("mihpayid"), id, Money.inr(33_333),
				GatewayPayment.Status.CAPTURED, "cc", 0, null, null));
		assertThat(((PayuGateway) payu).fetchOrder(id).block(WAIT).amountPaid()).isEqualTo(33_333);
	}

	@Test
	void theSandboxApisCheckKeyHashAndIds() {
		String key = this.properties.sandbox().key();
		String salt = this.properties.sandbox().salt();
		assertThat(postservice(key, "verify_payment", "ord_x", "0".repeat(128), Map.of()))
			.isEqualTo(Map.of("status", 0, "msg", "Invalid Hash."));
		assertThat(postservice("other", "verify_payment", "ord_x", PayuHash.api("other", "verify_payment", "ord_x",
				salt), Map.of())).containsEntry("status", 0).containsEntry("msg", "Invalid key");
		// the hash covers var1: a different txnid with the old hash is refused
		assertThat(postservice(key, "verify_payment", "ord_y", PayuHash.api(key, "verify_payment", "ord_x", salt),
				Map.of())).containsEntry("status", 0);
		Map<String, Object> unknown = postservice(key, "verify_payment", "ord_x",
				PayuHash.api(key, "verify_payment", "ord_x", salt), Map.of());
		assertThat(unknown).containsEntry("status", 0)
			.containsEntry("transaction_details", Map.of("ord_x", Map.of("mihpayid", "Not Found", "status", "Not Found")));
		assertThat(postservice(key, "cancel_refund_transaction", "123",
				PayuHash.api(key, "cancel_refund_transaction", "123", salt), Map.of("var2", "tok", "var3", "1.00")))
			.containsEntry("status", 0);
		assertThat(postservice(key, "check_action_status", "123", PayuHash.api(key, "check_action_status", "123", salt),
				Map.of())).containsEntry("status", 0);
		assertThat(postservice(key, "no_such_command", "1", PayuHash.api(key, "no_such_command", "1", salt), Map.of()))
			.containsEntry("msg", "Invalid command");

		this.clients.anonymous()
			.post("/sandbox/payu/pay", Map.of("txnid", "ord_doesNotExist00000000", "outcome", "success"))
			.expectStatus()
			.isNotFound();
		this.clients.anonymous()
			.post("/sandbox/payu/pay", Map.of("txnid", "x", "outcome", "maybe"))
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo("outcome");
	}

	@Test
	void aDecidedTransactionCannotBeDecidedOtherwise() {
		ApiClient buyer = this.clients.customer();
		JsonNode order = order(buyer, 16_000);
		payAtSandbox(order, "failure", null);
		this.clients.anonymous()
			.post("/sandbox/payu/pay", Map.of("txnid", order.get("id").asText(), "outcome", "success"))
			.expectStatus()
			.isEqualTo(409);
	}

	/** PayU's server-to-server notification: the same reverse-hashed form, through the one webhook intake. */
	@Test
	void theServerToServerNotificationIsStoredOnceAndConfirmsWithVerifyPayment() {
		ApiClient buyer = this.clients.customer();
		JsonNode order = order(buyer, 35_500);
		String id = order.get("id").asText();
		Map<String, String> fields = payAtSandbox(order, "success", null);
		MultiValueMap<String, String> notification = new LinkedMultiValueMap<>();
		fields.forEach(notification::add);

		JsonNode first = form("/api/webhooks/payu", notification).expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(first.get("status").asText()).isEqualTo("accepted");
		assertThat(get(buyer, id).get("status").asText()).isEqualTo("paid");
		form("/api/payments/payu/webhook", notification).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("duplicate")
			.jsonPath("$.id")
			.isEqualTo(first.get("id").asText());

		MultiValueMap<String, String> tampered = new LinkedMultiValueMap<>(notification);
		tampered.set("amount", "1.00");
		form("/api/webhooks/payu", tampered).expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("invalid_signature");
	}

	// ---- helpers -------------------------------------------------------------------------------------------

	private PaymentGateway payu() {
		return this.gateways.find("payu").orElseThrow();
	}

	private JsonNode order(ApiClient buyer, long paise) {
		String product = this.clients.product(paise);
		return buyer
			.post("/api/orders",
					Map.of("items", List.of(Map.of("productId", product, "quantity", 1)), "gateway", "payu"))
			.expectStatus()
			.isCreated()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

	private JsonNode get(ApiClient client, String orderId) {
		return client.get("/api/orders/" + orderId)
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

	/** The order's checkout fields as the storefront's form posts them (everything but {@code action}). */
	private static MultiValueMap<String, String> checkoutForm(JsonNode order) {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		order.get("checkout").fields().forEachRemaining(field -> {
			if (!"action".equals(field.getKey())) {
				form.add(field.getKey(), field.getValue().asText());
			}
		});
		return form;
	}

	private WebTestClient.ResponseSpec openAtSandbox(JsonNode order) {
		return form(order.at("/checkout/action").asText(), checkoutForm(order));
	}

	/** The browser posts the form to PayU, then the buyer pays or fails; returns the signed return fields. */
	private Map<String, String> payAtSandbox(JsonNode order, String outcome, String amount) {
		openAtSandbox(order).expectStatus().isOk();
		return payOnly(order, outcome, amount);
	}

	/** The sandbox's JSON {@code /pay} for a transaction whose form was already posted. */
	private Map<String, String> payOnly(JsonNode order, String outcome, String amount) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("txnid", order.get("gatewayOrderId").asText());
		body.put("outcome", outcome);
		if (amount != null) {
			body.put("amount", amount);
		}
		JsonNode result = this.clients.anonymous()
			.post("/sandbox/payu/pay", body)
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(result.get("callbackUrl").asText()).isEqualTo(CALLBACK);
		Map<String, String> fields = new LinkedHashMap<>();
		result.get("fields").fields().forEachRemaining(field -> fields.put(field.getKey(), field.getValue().asText()));
		return fields;
	}

	/** A cross-site form POST: no cookies, no XSRF header. */
	private WebTestClient.ResponseSpec callback(Map<String, String> fields) {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		fields.forEach(form::add);
		return form(CALLBACK, form);
	}

	private WebTestClient.ResponseSpec form(String path, MultiValueMap<String, String> form) {
		return this.clients.anonymous()
			.raw()
			.post()
			.uri(path)
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(BodyInserters.fromFormData(form))
			.exchange();
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> postservice(String key, String command, String var1, String hash,
			Map<String, String> extra) {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.add("key", key);
		form.add("command", command);
		form.add("var1", var1);
		extra.forEach(form::add);
		form.add("hash", hash);
		byte[] body = form("/sandbox/payu/merchant/postservice?form=2", form).expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody();
		try {
			return this.json.readValue(body, Map.class);
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
