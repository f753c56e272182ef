package com.tijorihq.tijori.checkout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.http.HttpMethod;

import com.tijorihq.tijori.common.MongoLease;
import com.tijorihq.tijori.gateway.PaymentGateways;
import com.tijorihq.tijori.support.ApiClient;
import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;
import com.tijorihq.tijori.support.TestData;

import static com.tijorihq.tijori.checkout.CheckoutFixtures.line;
import static org.assertj.core.api.Assertions.assertThat;

/** Sandbox webhooks stay off here (the test default): only the reconciler learns what the gateway knows. */
@IntegrationTest
class ReconcilerTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	@Autowired
	ApiClients clients;

	@Autowired
	ReactiveMongoTemplate mongo;

	@Autowired
	Reconciler reconciler;

	@Autowired
	OrderRepository orders;

	@Autowired
	PaymentService payments;

	@Autowired
	RefundService refunds;

	@Autowired
	OrderTransitions transitions;

	@Autowired
	PaymentGateways gateways;

	@Autowired
	ReconcileProperties properties;

	@Autowired
	MeterRegistry meters;

	CheckoutFixtures fixtures;

	@BeforeEach
	void setUp() {
		this.fixtures = new CheckoutFixtures(this.clients);
	}

	@AfterEach
	void resetSandbox() {
		this.clients.anonymous().delete("/sandbox/razorpay/_faults").expectStatus().isOk();
	}

	@Test
	void withoutVerifyAndWithoutWebhooksTheReconcilerAloneMakesTheOrderPaid() {
		ApiClient buyer = this.clients.customer();
		JsonNode order = order(buyer, 11_100);
		this.fixtures.pay(order, "success");
		assertThat(status(buyer, order)).isEqualTo("created");

		Reconciler.Sweep sweep = sweep(null);

		assertThat(sweep.leased()).isTrue();
		assertThat(sweep.reconciled()).contains(order.get("id").asText());
		JsonNode after = this.fixtures.get(buyer, order.get("id").asText());
		assertThat(after.get("status").asText()).isEqualTo("paid");
		assertThat(after.at("/payments/0/status").asText()).isEqualTo("captured");
		assertThat(TestData.eventStatuses(this.mongo, order.get("id").asText())).containsExactly("CREATED", "PAID");
	}

	@Test
	void aLateAuthorisationAfterAFailedPaymentEndsPaid() {
		ApiClient buyer = this.clients.customer();
		JsonNode order = order(buyer, 22_200);
		String paymentId = this.fixtures.pay(order, "failure").get("razorpay_payment_id").asText();
		sweep(null);
		assertThat(status(buyer, order)).isEqualTo("failed");

		lateAuthorize(paymentId, null);
		sweep(null);

		assertThat(status(buyer, order)).isEqualTo("paid");
		assertThat(TestData.eventStatuses(this.mongo, order.get("id").asText())).containsExactly("CREATED", "FAILED", "PAID");
	}

	@Test
	void anExpiredOrderWhosePaymentIsAuthorisedLateIsCapturedAndEndsPaid() {
		ApiClient buyer = this.clients.customer();
		JsonNode order = order(buyer, 33_300);
		String paymentId = this.fixtures.pay(order, "failure").get("razorpay_payment_id").asText();
		Instant later = Instant.now().plus(this.properties.expireAfter()).plusSeconds(60);
		sweep(later);
		assertThat(status(buyer, order)).isEqualTo("expired");

		// authorised, not captured: the reconciler must capture it
		lateAuthorize(paymentId, false);
		sweep(later.plus(Duration.ofHours(1)));

		assertThat(status(buyer, order)).isEqualTo("paid");
		assertThat(TestData.eventStatuses(this.mongo, order.get("id").asText())).containsExactly("CREATED", "FAILED", "EXPIRED", "PAID");
		assertThat(this.clients.anonymous()
			.raw()
			.get()
			.uri("/sandbox/razorpay/v1/payments/" + paymentId)
			.headers(h -> h.setBasicAuth("rzp_test_sandboxTijori1", "tijori_sandbox_secret"))
			.exchange()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody()
			.get("status")
			.asText()).isEqualTo("captured");
	}

	@Test
	void anOrderWithoutAnyPaymentExpires() {
		ApiClient buyer = this.clients.customer();
		JsonNode order = order(buyer, 44_400);
		sweep(null);
		assertThat(status(buyer, order)).isEqualTo("created");
		sweep(Instant.now().plus(this.properties.expireAfter()).plusSeconds(60));
		assertThat(status(buyer, order)).isEqualTo("expired");
	}

	@Test
	void twoReconcilersSweepingAtOnceProcessEachOrderOnce() {
		ApiClient buyer = this.clients.customer();
		List<JsonNode> paid = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			JsonNode order = order(buyer, 12_000 + i * 100);
			this.fixtures.pay(order, "success");
			paid.add(order);
		}
		// slow gateway answers keep both sweeps running at the same time
		this.clients.anonymous()
			.exchange(HttpMethod.PUT, "/sandbox/razorpay/_faults", Map.of("latencyMs", 50), Map.of())
			.expectStatus()
			.isOk();
		Reconciler other = secondInstance("reconciler-other", Duration.ofMinutes(1));

		List<Reconciler.Sweep> sweeps = Mono
			.zip(this.reconciler.sweepNow(), other.sweepNow(), (a, b) -> List.of(a, b))
			.block(WAIT);

		assertThat(sweeps).filteredOn(Reconciler.Sweep::leased).hasSize(1);
		List<String> reconciled = new ArrayList<>();
		sweeps.forEach(sweep -> reconciled.addAll(sweep.reconciled()));
		for (JsonNode order : paid) {
			assertThat(reconciled).filteredOn(order.get("id").asText()::equals).hasSize(1);
			assertThat(status(buyer, order)).isEqualTo("paid");
			assertThat(TestData.eventStatuses(this.mongo, order.get("id").asText())).containsExactly("CREATED", "PAID");
		}
	}

	@Test
	void aCrashedLeaseHoldersLeaseExpiresAndAnotherReplicaTakesOver() throws Exception {
		ApiClient buyer = this.clients.customer();
		JsonNode order = order(buyer, 13_300);
		this.fixtures.pay(order, "success");
		MongoLease crashed = new MongoLease(this.mongo, Reconciler.LEASE, "crashed-replica", Duration.ofSeconds(1));
		assertThat(crashed.acquire().block(WAIT)).isTrue();
		// it never renews nor releases

		Reconciler.Sweep blocked = this.reconciler.sweepNow().block(WAIT);
		assertThat(blocked.leased()).isFalse();
		assertThat(status(buyer, order)).isEqualTo("created");

		Instant deadline = Instant.now().plusSeconds(10);
		Reconciler.Sweep sweep = blocked;
		while (!sweep.leased() && Instant.now().isBefore(deadline)) {
			Thread.sleep(200);
			sweep = this.reconciler.sweepNow().block(WAIT);
		}
		assertThat(sweep.leased()).isTrue();
		assertThat(sweep.reconciled()).contains(order.get("id").asText());
		assertThat(status(buyer, order)).isEqualTo("paid");
		assertThat(this.mongo.findById(Reconciler.LEASE, Document.class, MongoLease.COLLECTION).block(WAIT))
			.as("released after the sweep")
			.isNull();
	}

	/** One sweep by this replica, as of {@code at} (null: now); it must have held the lease. */
	private Reconciler.Sweep sweep(Instant at) {
		Reconciler.Sweep sweep = (at != null) ? this.reconciler.sweep(at).block(WAIT)
				: this.reconciler.sweepNow().block(WAIT);
		assertThat(sweep.leased()).as("this replica held the lease").isTrue();
		return sweep;
	}

	private Reconciler secondInstance(String holder, Duration lease) {
		return new Reconciler(this.orders, this.payments, this.refunds, this.transitions, this.gateways,
				this.properties, new MongoLease(this.mongo, Reconciler.LEASE, holder, lease), this.meters);
	}

	private JsonNode order(ApiClient buyer, long paise) {
		return this.fixtures.createOrder(buyer, List.of(line(this.fixtures.product(paise), 1)));
	}

	private void lateAuthorize(String paymentId, Boolean capture) {
		Map<String, Object> body = new java.util.HashMap<>();
		body.put("payment_id", paymentId);
		if (capture != null) {
			body.put("capture", capture);
		}
		this.clients.anonymous().post("/sandbox/razorpay/_late_authorization", body).expectStatus().isOk();
	}

	private String status(ApiClient buyer, JsonNode order) {
		return this.fixtures.get(buyer, order.get("id").asText()).get("status").asText();
	}

}
