package com.tijorihq.tijori.reconciliation;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

import com.tijorihq.tijori.checkout.Reconciler;
import com.tijorihq.tijori.checkout.ReconcilerSweeps;
import com.tijorihq.tijori.support.ApiClient;
import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Each class of difference made through the Razorpay sandbox (webhooks off, the test default, so only what the
 * test does reaches Tijori), then the report over exactly the test's window.
 */
@IntegrationTest
class ReconciliationReportTests {

	private static final String API = "/sandbox/razorpay/v1";

	private static final ObjectMapper json = new ObjectMapper();

	@Autowired
	ApiClients clients;

	@Autowired
	ReactiveMongoTemplate mongo;

	@Autowired
	Reconciler reconciler;

	Instant from;

	@BeforeEach
	void startWindow() throws InterruptedException {
		// the gateway lists payments by whole seconds: start on a fresh one so no earlier test's payment is in it
		this.from = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
		Thread.sleep(Duration.between(Instant.now(), this.from).toMillis() + 10);
	}

	@AfterEach
	void resetSandbox() {
		this.clients.anonymous().delete("/sandbox/razorpay/_faults").expectStatus().isOk();
	}

	@Test
	void findsExactlyEachClassOfDifferenceAndAfterTheReconcilerOnlyWhatItCannotSettle() {
		ApiClient buyer = this.clients.customer();

		JsonNode clean = order(buyer, 10_100);
		verify(buyer, clean, pay(clean, "success"));

		// the buyer paid, but neither the browser's verify nor the webhook ever arrived
		JsonNode lostWebhook = order(buyer, 10_200);
		String lostPayment = pay(lostWebhook, "success").get("razorpay_payment_id").asText();

		// the bank declined, then confirmed three days later and Razorpay captured
		JsonNode lateAuthorisation = order(buyer, 10_300);
		String latePayment = pay(lateAuthorisation, "failure").get("razorpay_payment_id").asText();
		lateAuthorize(latePayment);

		// paid here; then someone refunded ₹10 from Razorpay's dashboard
		JsonNode dashboardRefund = order(buyer, 10_400);
		String refundedPayment = verify(buyer, dashboardRefund, pay(dashboardRefund, "success"));
		gatewayApi(HttpMethod.POST, "/payments/" + refundedPayment + "/refund", Map.of("amount", 1_000));

		// the gateway authorised one paisa less than the order
		faults(Map.of("amountMismatch", true));
		JsonNode amountMismatch = order(buyer, 10_500);
		String shortPayment = pay(amountMismatch, "success").get("razorpay_payment_id").asText();
		faults(Map.of("amountMismatch", false));

		// a declined payment authorised and captured late, after another payment had paid the order
		JsonNode duplicate = order(buyer, 10_600);
		String firstTry = pay(duplicate, "failure").get("razorpay_payment_id").asText();
		verify(buyer, duplicate, pay(duplicate, "success"));
		lateAuthorize(firstTry);

		// paid here, but the gateway now reports the payment failed (a reversal Tijori never heard of)
		JsonNode reversed = order(buyer, 10_700);
		String reversedPayment = verify(buyer, reversed, pay(reversed, "success"));
		this.mongo.getCollection("sandbox_razorpay_payments")
			.flatMap(c -> reactor.core.publisher.Mono.from(c.updateOne(new Document("_id", reversedPayment),
					new Document("$set", new Document("status", "failed").append("captured", false)))))
			.block(Duration.ofSeconds(10));

		// money taken on a gateway order no Tijori order has
		JsonNode stranger = gatewayApi(HttpMethod.POST, "/orders",
				Map.of("amount", 10_800, "currency", "INR", "receipt", "not_ours"));
		String strangerPayment = this.clients.anonymous()
			.post("/sandbox/razorpay/pay", Map.of("order_id", stranger.get("id").asText(), "outcome", "success"))
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody()
			.get("razorpay_payment_id")
			.asText();

		Instant to = Instant.now().plusSeconds(1);
		JsonNode before = report(to);
		assertThat(rows(before)).as(before.toPrettyString()).containsExactlyInAnyOrder(
				tuple("captured_not_paid", "reconciler", id(lostWebhook), lostPayment),
				tuple("captured_not_paid", "reconciler", id(lateAuthorisation), latePayment),
				tuple("refund_mismatch", "admin", id(dashboardRefund), refundedPayment),
				tuple("amount_mismatch", "admin", id(amountMismatch), shortPayment),
				tuple("duplicate_payment", "reconciler", id(duplicate), firstTry),
				tuple("paid_not_captured", "admin", id(reversed), reversedPayment),
				tuple("unknown_payment", "admin", null, strangerPayment));
		assertThat(before.at("/summary/orders").asLong()).isEqualTo(7);
		assertThat(before.at("/summary/unexplained").asLong()).isEqualTo(4);
		assertThat(before.hasNonNull("next")).isFalse();
		JsonNode totals = before.at("/totals/0");
		assertThat(totals.get("gateway").asText()).isEqualTo("razorpay");
		// captured here: clean, dashboard refund, duplicate's paying payment, reversed
		assertThat(totals.at("/tijori/captured/paise").asLong()).isEqualTo(10_100 + 10_400 + 10_600 + 10_700);
		assertThat(totals.at("/tijori/captured/rupees").asText()).isEqualTo("418.00");
		assertThat(totals.at("/tijori/refunded/paise").asLong()).isZero();
		// at the gateway (the sandbox's orders capture automatically): every payment but the reversed one, the
		// short one counted as captured (10 499) and the stranger's included
		long capturedThere = 10_100 + 10_200 + 10_300 + 10_400 + 10_499 + 10_600 * 2 + 10_800;
		assertThat(totals.at("/atGateway/captured/paise").asLong()).isEqualTo(capturedThere);
		assertThat(totals.at("/atGateway/refunded/paise").asLong()).isEqualTo(1_000);
		assertThat(totals.at("/atGateway/net/paise").asLong()).isEqualTo(capturedThere - 1_000);
		assertThat(totals.at("/atGateway/net/rupees").asText()).isEqualTo("824.99");

		// past minAge (so unpaid orders are swept) and past the first money check of paid ones
		Instant later = Instant.now().plus(Duration.ofMinutes(10));
		assertThat(ReconcilerSweeps.sweepAt(this.reconciler, later).leased()).isTrue();
		assertThat(ReconcilerSweeps.sweepAt(this.reconciler, later.plus(Duration.ofMinutes(10))).leased()).isTrue();

		JsonNode after = report(to);
		assertThat(rows(after)).as(after.toPrettyString()).containsExactlyInAnyOrder(
				tuple("refund_mismatch", "admin", id(dashboardRefund), refundedPayment),
				tuple("amount_mismatch", "admin", id(amountMismatch), shortPayment),
				tuple("duplicate_payment", "settled", id(duplicate), firstTry),
				tuple("paid_not_captured", "admin", id(reversed), reversedPayment),
				tuple("unknown_payment", "admin", null, strangerPayment));
		assertThat(after.at("/summary/unexplained").asLong()).isEqualTo(4);

		// the whole window streamed: one line per difference, the totals, then the summary
		List<JsonNode> lines = report(to, "application/x-ndjson").lines().map(ReconciliationReportTests::json).toList();
		assertThat(lines).extracting(line -> line.get("type").asText())
			.containsExactly("difference", "difference", "difference", "difference", "difference", "totals", "summary");
		assertThat(lines.get(6).get("unexplained").asLong()).isEqualTo(4);
		assertThat(lines.get(6).get("unknownPaymentsListed")).extracting(JsonNode::asText).containsExactly("razorpay");

		// for finance: a header, the differences, captured/refunded/net, the summary
		List<String> csv = report(to, "text/csv").lines().toList();
		assertThat(csv).hasSize(1 + 5 + 3 + 1);
		assertThat(csv.get(0)).startsWith("record,class,action,gateway,order_id,");
		assertThat(csv).filteredOn(row -> row.startsWith("difference,refund_mismatch,admin,razorpay," + id(dashboardRefund)))
			.singleElement()
			.satisfies(row -> assertThat(row).contains(",0,0.00,1000,10.00,INR,"));
		assertThat(csv).filteredOn(row -> row.startsWith("total,net,,razorpay,"))
			.singleElement()
			.satisfies(row -> assertThat(row).contains(",72799,727.99,71899,718.99,INR,"));
	}

	@Test
	void onlyAdminsMayAskAndAWrongWindowIsABadRequest() {
		String path = "/api/admin/reconciliation?from=2026-12-01&to=2026-12-02";
		this.clients.anonymous().get(path).expectStatus().isUnauthorized();
		this.clients.customer().get(path).expectStatus().isForbidden();
		this.clients.admin()
			.get("/api/admin/reconciliation?from=2026-12-02&to=2026-12-01&gateway=stripe&limit=0")
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.errors[*].field")
			.value(fields -> assertThat((List<String>) fields).containsExactlyInAnyOrder("to", "gateway", "limit"));
		this.clients.admin().get("/api/admin/reconciliation?to=2026-12-01").expectStatus().isBadRequest();
		this.clients.admin()
			.get("/api/admin/reconciliation?from=2026-01-01&to=2026-12-01")
			.expectStatus()
			.isBadRequest();
	}

	@Test
	void pagesFollowTheirCursorAcrossTheWindow() {
		ApiClient buyer = this.clients.customer();
		List<String> made = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			made.add(id(order(buyer, 20_000 + i)));
		}
		Instant to = Instant.now().plusSeconds(1);
		List<Long> counts = new ArrayList<>();
		String cursor = null;
		do {
			JsonNode page = json(this.clients.admin()
				.get("/api/admin/reconciliation?limit=2&from=" + this.from + "&to=" + to
						+ ((cursor != null) ? "&cursor=" + cursor : ""))
				.expectStatus()
				.isOk()
				.expectBody(String.class)
				.returnResult()
				.getResponseBody());
			counts.add(page.at("/summary/orders").asLong());
			cursor = page.hasNonNull("next") ? page.get("next").asText() : null;
		}
		while (cursor != null && counts.size() < 5);
		assertThat(counts).containsExactly(2L, 1L);
		assertThat(made).hasSize(3);
	}

	private JsonNode report(Instant to) {
		return json(report(to, "application/json"));
	}

	private String report(Instant to, String accept) {
		return this.clients.admin()
			.exchange(HttpMethod.GET, "/api/admin/reconciliation?from=" + this.from + "&to=" + to, null,
					Map.of("Accept", accept))
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

	private static JsonNode json(String text) {
		try {
			return json.readTree(text);
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static List<org.assertj.core.groups.Tuple> rows(JsonNode report) {
		List<org.assertj.core.groups.Tuple> rows = new ArrayList<>();
		report.get("differences")
			.forEach(d -> rows.add(tuple(d.get("kind").asText(), d.get("action").asText(),
					d.hasNonNull("orderId") ? d.get("orderId").asText() : null, d.get("paymentId").asText())));
		return rows;
	}

	private JsonNode order(ApiClient buyer, long paise) {
		String product = this.clients.product(paise);
		return buyer.post("/api/orders", Map.of("items", List.of(Map.of("productId", product, "quantity", 1))))
			.expectStatus()
			.isCreated()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

	private JsonNode pay(JsonNode order, String outcome) {
		return this.clients.anonymous()
			.post("/sandbox/razorpay/pay", Map.of("order_id", order.get("gatewayOrderId").asText(), "outcome", outcome))
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

	/** The browser's verify after a successful payment; returns the payment id. */
	private String verify(ApiClient buyer, JsonNode order, JsonNode paid) {
		buyer.post("/api/orders/" + id(order) + "/verify",
				Map.of("razorpay_order_id", paid.get("razorpay_order_id").asText(), "razorpay_payment_id",
						paid.get("razorpay_payment_id").asText(), "razorpay_signature",
						paid.get("razorpay_signature").asText()))
			.expectStatus()
			.isOk();
		return paid.get("razorpay_payment_id").asText();
	}

	private void lateAuthorize(String paymentId) {
		this.clients.anonymous()
			.post("/sandbox/razorpay/_late_authorization", Map.of("payment_id", paymentId, "capture", true))
			.expectStatus()
			.isOk();
	}

	private void faults(Map<String, Object> faults) {
		this.clients.anonymous()
			.exchange(HttpMethod.PUT, "/sandbox/razorpay/_faults", faults, Map.of())
			.expectStatus()
			.isOk();
	}

	/** Razorpay's API as a merchant's dashboard or script would call it. */
	private JsonNode gatewayApi(HttpMethod method, String path, Map<String, Object> body) {
		return this.clients.anonymous()
			.raw()
			.method(method)
			.uri(API + path)
			.headers(h -> h.setBasicAuth("rzp_test_sandboxTijori1", "tijori_sandbox_secret"))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(new HashMap<>(body))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

	private static String id(JsonNode order) {
		return order.get("id").asText();
	}

}
