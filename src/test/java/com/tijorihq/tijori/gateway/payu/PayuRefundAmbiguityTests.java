package com.tijorihq.tijori.gateway.payu;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;

import com.tijorihq.tijori.common.GatewayUnavailableException;
import com.tijorihq.tijori.common.Money;
import com.tijorihq.tijori.gateway.GatewayOrder;
import com.tijorihq.tijori.gateway.GatewayOrderRequest;
import com.tijorihq.tijori.gateway.GatewayRefund;
import com.tijorihq.tijori.gateway.GatewayRejectedException;
import com.tijorihq.tijori.gateway.PaymentGateway;
import com.tijorihq.tijori.gateway.PaymentGateways;
import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PayU refunds whose answer is ambiguous, through the adapter over HTTP against the PayU sandbox: a token PayU
 * already has, and a refund whose answer is lost, found again by its token alone.
 */
@IntegrationTest
class PayuRefundAmbiguityTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@Autowired
	ApiClients clients;

	@Autowired
	PaymentGateways gateways;

	@AfterEach
	void resetFaults() {
		this.clients.anonymous().delete("/sandbox/payu/_faults").expectStatus().isOk();
	}

	@Test
	void aRepeatedTokenIsARefundInProgressNeverARefusal() {
		PaymentGateway payu = payu();
		Paid paid = paid(10_000);
		String token = token();
		GatewayRefund first = payu.refund(paid.txnid(), paid.paymentId(), Money.inr(4_000), token).block(WAIT);
		assertThat(first.status()).isEqualTo(GatewayRefund.Status.PENDING);

		for (long amount : new long[] { 4_000, 5_000 }) {
			StepVerifier.create(payu.refund(paid.txnid(), paid.paymentId(), Money.inr(amount), token))
				.expectErrorSatisfies(ex -> assertThat(ex).isInstanceOfSatisfying(GatewayRejectedException.class,
						rejected -> {
							assertThat(rejected.status()).isEqualTo(HttpStatus.CONFLICT);
							assertThat(rejected.code()).isEqualTo("refund_in_progress");
							assertThat(rejected.reason()).isEqualTo("106: Token already exists");
						}))
				.verify(WAIT);
		}
		GatewayRefund found = payu.fetchRefund(paid.txnid(), paid.paymentId(), token, null).block(WAIT);
		assertThat(found).isEqualTo(new GatewayRefund(first.id(), paid.paymentId(), Money.inr(4_000),
				GatewayRefund.Status.PROCESSED));
		assertThat(payu.fetchRefund(paid.txnid(), paid.paymentId(), token, first.id()).block(WAIT)).isEqualTo(found);
		// the first refund took 4 000 of 10 000: 6 000 are left, no more
		assertThat(payu.refund(paid.txnid(), paid.paymentId(), Money.inr(6_000), token()).block(WAIT).status())
			.isEqualTo(GatewayRefund.Status.PENDING);
		StepVerifier.create(payu.refund(paid.txnid(), paid.paymentId(), Money.inr(100), token()))
			.expectErrorSatisfies(ex -> assertThat(ex).isInstanceOfSatisfying(GatewayRejectedException.class,
					rejected -> assertThat(rejected.status()).isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY)))
			.verify(WAIT);
	}

	@Test
	void aRefundWhoseAnswerIsLostFailsAndIsThenFoundByItsToken() {
		PaymentGateway payu = payu();
		Paid paid = paid(7_000);
		String token = token();
		StepVerifier.create(payu.fetchRefund(paid.txnid(), paid.paymentId(), token, null))
			.as("no refund of the payment yet")
			.verifyComplete();
		this.clients.anonymous()
			.exchange(HttpMethod.PUT, "/sandbox/payu/_faults", Map.of("loseRefundAnswers", true), Map.of())
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.loseRefundAnswers")
			.isEqualTo(true);

		StepVerifier.create(payu.refund(paid.txnid(), paid.paymentId(), Money.inr(2_000), token))
			.expectError(GatewayUnavailableException.class)
			.verify(WAIT);
		// only refunds lose their answers: lookups still answer while the fault is on
		GatewayRefund found = payu.fetchRefund(paid.txnid(), paid.paymentId(), token, null).block(WAIT);
		this.clients.anonymous()
			.delete("/sandbox/payu/_faults")
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.loseRefundAnswers")
			.isEqualTo(false);

		assertThat(found.id()).matches("\\d+");
		assertThat(found.paymentId()).isEqualTo(paid.paymentId());
		assertThat(found.amount()).isEqualTo(Money.inr(2_000));
		assertThat(found.status()).isEqualTo(GatewayRefund.Status.PROCESSED);
		StepVerifier.create(payu.fetchRefund(paid.txnid(), paid.paymentId(), token(), null))
			.as("a token PayU never saw")
			.verifyComplete();
		StepVerifier.create(payu.refund(paid.txnid(), paid.paymentId(), Money.inr(2_000), token))
			.expectErrorSatisfies(ex -> assertThat(((GatewayRejectedException) ex).status())
				.isEqualTo(HttpStatus.CONFLICT))
			.verify(WAIT);
	}

	private PaymentGateway payu() {
		return this.gateways.find("payu").orElseThrow();
	}

	/** A PayU transaction paid at the sandbox: the form posted as a browser would, then the buyer pays. */
	private Paid paid(long paise) {
		String txnid = "rfa" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
		GatewayOrder order = payu().createOrder(GatewayOrderRequest.of(Money.inr(paise), txnid)).block(WAIT);
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		order.checkout().forEach((name, value) -> {
			if (!"action".equals(name)) {
				form.add(name, value);
			}
		});
		this.clients.anonymous()
			.raw()
			.post()
			.uri(order.checkout().get("action"))
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(BodyInserters.fromFormData(form))
			.exchange()
			.expectStatus()
			.isOk();
		this.clients.anonymous()
			.post("/sandbox/payu/pay", Map.of("txnid", order.id(), "outcome", "success"))
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class);
		String paymentId = payu().fetchOrderPayments(order.id()).block(WAIT).get(0).id();
		return new Paid(order.id(), paymentId);
	}

	private static String token() {
		return "rfd_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
	}

	record Paid(String txnid, String paymentId) {
	}

}
