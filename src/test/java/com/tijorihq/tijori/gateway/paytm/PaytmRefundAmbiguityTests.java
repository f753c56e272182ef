package com.tijorihq.tijori.gateway.paytm;

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
 * Paytm refunds whose answer is ambiguous, through the adapter over HTTP against the Paytm sandbox: a refId Paytm
 * already has, and a refund whose answer is lost, found again by its refId alone.
 */
@IntegrationTest
class PaytmRefundAmbiguityTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@Autowired
	ApiClients clients;

	@Autowired
	PaymentGateways gateways;

	@AfterEach
	void resetFaults() {
		this.clients.anonymous().delete("/sandbox/paytm/_faults").expectStatus().isOk();
	}

	@Test
	void aRefIdPaytmAlreadyHasForAnotherAmountIsARefundInProgressNeverARefusal() {
		PaymentGateway paytm = paytm();
		Paid paid = paid(10_000);
		String refId = refId();
		GatewayRefund first = paytm.refund(paid.orderId(), paid.txnId(), Money.inr(4_000), refId).block(WAIT);
		assertThat(first.status()).isEqualTo(GatewayRefund.Status.PROCESSED);

		StepVerifier.create(paytm.refund(paid.orderId(), paid.txnId(), Money.inr(5_000), refId))
			.expectErrorSatisfies(ex -> assertThat(ex).isInstanceOfSatisfying(GatewayRejectedException.class,
					rejected -> {
						assertThat(rejected.status()).isEqualTo(HttpStatus.CONFLICT);
						assertThat(rejected.code()).isEqualTo("refund_in_progress");
						assertThat(rejected.reason()).startsWith("617");
					}))
			.verify(WAIT);
		// the refId keeps meaning its first refund, and only that one was made
		assertThat(paytm.fetchRefund(paid.orderId(), paid.txnId(), refId, null).block(WAIT)).isEqualTo(first);
		assertThat(paytm.fetchOrderPayments(paid.orderId()).block(WAIT).get(0).amountRefunded()).isEqualTo(4_000);
	}

	@Test
	void aRefundWhoseAnswerIsLostFailsAndIsThenFoundByItsRefId() {
		PaymentGateway paytm = paytm();
		Paid paid = paid(9_000);
		String refId = refId();
		this.clients.anonymous()
			.exchange(HttpMethod.PUT, "/sandbox/paytm/_faults", Map.of("loseRefundAnswers", true), Map.of())
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.loseRefundAnswers")
			.isEqualTo(true);

		StepVerifier.create(paytm.refund(paid.orderId(), paid.txnId(), Money.inr(3_000), refId))
			.expectError(GatewayUnavailableException.class)
			.verify(WAIT);
		this.clients.anonymous()
			.delete("/sandbox/paytm/_faults")
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.loseRefundAnswers")
			.isEqualTo(false);

		GatewayRefund found = paytm.fetchRefund(paid.orderId(), paid.txnId(), refId, null).block(WAIT);
		assertThat(found.id()).isNotBlank().isNotEqualTo(refId);
		assertThat(found.paymentId()).isEqualTo(paid.txnId());
		assertThat(found.amount()).isEqualTo(Money.inr(3_000));
		assertThat(found.status()).isEqualTo(GatewayRefund.Status.PROCESSED);
		// retried under the same refId, the refund was still made once
		assertThat(paytm.fetchOrderPayments(paid.orderId()).block(WAIT).get(0).amountRefunded()).isEqualTo(3_000);
		StepVerifier.create(paytm.fetchRefund(paid.orderId(), paid.txnId(), refId(), null))
			.as("a refId Paytm never saw")
			.verifyComplete();
	}

	private PaymentGateway paytm() {
		return this.gateways.find("paytm").orElseThrow();
	}

	private Paid paid(long paise) {
		String orderId = "rfa_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
		GatewayOrder order = paytm().createOrder(GatewayOrderRequest.of(Money.inr(paise), orderId)).block(WAIT);
		JsonNode paid = this.clients.anonymous()
			.post("/sandbox/paytm/pay", Map.of("orderId", order.id(), "outcome", "success"))
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		return new Paid(order.id(), paid.at("/fields/TXNID").asText());
	}

	private static String refId() {
		return "rfd_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
	}

	record Paid(String orderId, String txnId) {
	}

}
