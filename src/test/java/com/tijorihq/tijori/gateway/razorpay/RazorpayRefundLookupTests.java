package com.tijorihq.tijori.gateway.razorpay;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.tijorihq.tijori.common.GatewayUnavailableException;
import com.tijorihq.tijori.common.Money;
import com.tijorihq.tijori.gateway.GatewayOrder;
import com.tijorihq.tijori.gateway.GatewayOrderRequest;
import com.tijorihq.tijori.gateway.GatewayRefund;
import com.tijorihq.tijori.gateway.GatewayRejectedException;
import com.tijorihq.tijori.gateway.PaymentGateway;
import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Razorpay refunds whose answer is missing or ambiguous, through the real razorpay-java against the sandbox:
 * looked up by Razorpay's id or by Tijori's refund id alone, repeated under one key, answers lost on the way.
 */
@IntegrationTest
class RazorpayRefundLookupTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@Autowired
	@Qualifier("razorpayGateway")
	PaymentGateway gateway;

	@Autowired
	ApiClients clients;

	@AfterEach
	void resetFaults() {
		this.clients.anonymous().raw().delete().uri("/sandbox/razorpay/_faults").exchange().expectStatus().isOk();
	}

	@Test
	void findsARefundByItsRazorpayIdAndByTijorisRefundIdAlone() {
		Paid paid = paid(10_000);
		String key = refundKey();
		GatewayRefund refund = this.gateway.refund(paid.orderId(), paid.paymentId(), Money.inr(3_000), key).block(WAIT);
		assertThat(refund.status()).isEqualTo(GatewayRefund.Status.PROCESSED);
		assertThat(sandboxRefund(refund.id()).at("/notes/tijori_refund_id").asText()).as("the key travels as a note")
			.isEqualTo(key);
		// another refund of the same payment, so that the key lookup has to pick
		GatewayRefund other = this.gateway.refund(paid.orderId(), paid.paymentId(), Money.inr(1_000), refundKey())
			.block(WAIT);

		assertThat(this.gateway.fetchRefund(paid.orderId(), paid.paymentId(), key, refund.id()).block(WAIT))
			.isEqualTo(refund);
		assertThat(this.gateway.fetchRefund(paid.orderId(), paid.paymentId(), key, null).block(WAIT)).isEqualTo(refund);
		assertThat(this.gateway.fetchRefund(paid.orderId(), paid.paymentId(), null, other.id()).block(WAIT))
			.isEqualTo(other);
	}

	@Test
	void aRefundRazorpayDoesNotHaveIsEmptyNeverAnError() {
		Paid paid = paid(5_000);
		this.gateway.refund(paid.orderId(), paid.paymentId(), Money.inr(1_000), refundKey()).block(WAIT);

		StepVerifier.create(this.gateway.fetchRefund(paid.orderId(), paid.paymentId(), refundKey(), null))
			.as("no refund of the payment carries this key")
			.verifyComplete();
		StepVerifier.create(this.gateway.fetchRefund(paid.orderId(), paid.paymentId(), refundKey(), "rfnd_DoesNotExist01"))
			.as("no refund has this id")
			.verifyComplete();
		StepVerifier.create(this.gateway.fetchRefund(paid.orderId(), "pay_DoesNotExist01", refundKey(), null))
			.as("no such payment, so no refund of it")
			.verifyComplete();
	}

	@Test
	void aRepeatedKeyIsTheSameRefundAndAnotherAmountUnderItIsARefundInProgress() {
		Paid paid = paid(10_000);
		String key = refundKey();
		GatewayRefund first = this.gateway.refund(paid.orderId(), paid.paymentId(), Money.inr(3_000), key).block(WAIT);
		GatewayRefund again = this.gateway.refund(paid.orderId(), paid.paymentId(), Money.inr(3_000), key).block(WAIT);
		assertThat(again).isEqualTo(first);

		StepVerifier.create(this.gateway.refund(paid.orderId(), paid.paymentId(), Money.inr(4_000), key))
			.expectErrorSatisfies(ex -> assertThat(ex).isInstanceOfSatisfying(GatewayRejectedException.class,
					rejected -> {
						assertThat(rejected.status()).isEqualTo(HttpStatus.CONFLICT);
						assertThat(rejected.code()).isEqualTo("refund_in_progress");
						assertThat(rejected.reason()).contains("idempotency key");
					}))
			.verify(WAIT);
		assertThat(sandboxRefunds(paid.paymentId()).get("count").asInt()).as("never two refunds at Razorpay")
			.isOne();
		assertThat(((RazorpayGateway) this.gateway).fetchPayment(paid.paymentId()).block(WAIT).amountRefunded()).isEqualTo(3_000);
	}

	@Test
	void aRefundWhoseAnswerIsLostFailsAndIsThenFoundByItsKey() {
		Paid paid = paid(8_000);
		String key = refundKey();
		faults(Map.of("loseRefundAnswers", true)).jsonPath("$.loseRefundAnswers").isEqualTo(true);

		StepVerifier.create(this.gateway.refund(paid.orderId(), paid.paymentId(), Money.inr(2_500), key))
			.expectError(GatewayUnavailableException.class)
			.verify(WAIT);
		this.clients.anonymous()
			.raw()
			.delete()
			.uri("/sandbox/razorpay/_faults")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.loseRefundAnswers")
			.isEqualTo(false);

		GatewayRefund found = this.gateway.fetchRefund(paid.orderId(), paid.paymentId(), key, null).block(WAIT);
		assertThat(found.id()).startsWith("rfnd_");
		assertThat(found.paymentId()).isEqualTo(paid.paymentId());
		assertThat(found.amount()).isEqualTo(Money.inr(2_500));
		assertThat(found.status()).isEqualTo(GatewayRefund.Status.PROCESSED);
		// the adapter's retries under the same key made it once; sending it again is still the same refund
		assertThat(sandboxRefunds(paid.paymentId()).get("count").asInt()).isOne();
		assertThat(this.gateway.refund(paid.orderId(), paid.paymentId(), Money.inr(2_500), key).block(WAIT))
			.isEqualTo(found);
		assertThat(((RazorpayGateway) this.gateway).fetchPayment(paid.paymentId()).block(WAIT).amountRefunded()).isEqualTo(2_500);
	}

	private Paid paid(long paise) {
		GatewayOrder order = this.gateway.createOrder(GatewayOrderRequest.of(Money.inr(paise), RazorpayGatewayTests.receipt()))
			.block(WAIT);
		JsonNode checkout = this.clients.anonymous()
			.post("/sandbox/razorpay/pay", Map.of("order_id", order.id(), "outcome", "success"))
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		return new Paid(order.id(), checkout.get("razorpay_payment_id").asText());
	}

	private WebTestClient.BodyContentSpec faults(Map<String, Object> faults) {
		return this.clients.anonymous()
			.exchange(HttpMethod.PUT, "/sandbox/razorpay/_faults", faults, Map.of())
			.expectStatus()
			.isOk()
			.expectBody();
	}

	private JsonNode sandboxRefund(String id) {
		return sandboxGet("/sandbox/razorpay/v1/refunds/" + id);
	}

	private JsonNode sandboxRefunds(String paymentId) {
		return sandboxGet("/sandbox/razorpay/v1/payments/" + paymentId + "/refunds");
	}

	private JsonNode sandboxGet(String path) {
		return this.clients.anonymous()
			.raw()
			.mutate()
			.defaultHeaders(headers -> headers.setBasicAuth("rzp_test_sandboxTijori1", "tijori_sandbox_secret"))
			.build()
			.get()
			.uri(path)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

	private static String refundKey() {
		return "rfd_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
	}

	record Paid(String orderId, String paymentId) {
	}

}
