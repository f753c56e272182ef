package com.tijorihq.tijori.gateway.razorpay;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.tijorihq.tijori.common.Money;
import com.tijorihq.tijori.gateway.GatewayOrder;
import com.tijorihq.tijori.gateway.GatewayPayment;
import com.tijorihq.tijori.gateway.GatewayRefund;
import com.tijorihq.tijori.gateway.GatewayRejectedException;
import com.tijorihq.tijori.gateway.GatewayOrderRequest;
import com.tijorihq.tijori.gateway.PaymentGateway;
import com.tijorihq.tijori.gateway.PaymentNotice;
import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/** The real razorpay-java, over real HTTP, against the sandbox on this test's random port. */
@IntegrationTest
class RazorpayGatewayTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@Autowired
	@Qualifier("razorpayGateway")
	PaymentGateway gateway;

	@Autowired
	ApiClients clients;

	@Test
	void runsInSandboxModeWithTheSandboxKey() {
		assertThat(this.gateway.sandbox()).isTrue();
		assertThat(this.gateway.name()).isEqualTo("razorpay");
		assertThat(this.gateway.publicKeyId()).startsWith("rzp_test_sandbox");
	}

	@Test
	void createsFetchesAndFindsAnOrderByReceipt() {
		String receipt = receipt();
		GatewayOrder created = this.gateway.createOrder(GatewayOrderRequest.of(Money.inr(49_900), receipt)).block(WAIT);
		assertThat(created.id()).matches("order_[0-9A-Za-z]{14}");
		assertThat(created.amount()).isEqualTo(Money.inr(49_900));
		assertThat(created.receipt()).isEqualTo(receipt);
		assertThat(created.status()).isEqualTo("created");
		assertThat(created.amountPaid()).isZero();

		assertThat(adapter().fetchOrder(created.id()).block(WAIT)).isEqualTo(created);
		assertThat(this.gateway.findOrderByReceipt(receipt).block(WAIT)).isEqualTo(created);
		StepVerifier.create(this.gateway.findOrderByReceipt(receipt())).expectComplete().verify(WAIT);
	}

	@Test
	void paidOrderShowsItsCapturedPaymentAndRefundsUpToTheCapturedAmount() {
		GatewayOrder order = this.gateway.createOrder(GatewayOrderRequest.of(Money.inr(10_000), receipt())).block(WAIT);
		Map<String, Object> checkout = pay(order.id(), "success", "upi");
		String paymentId = (String) checkout.get("razorpay_payment_id");
		assertThat(checkout.get("razorpay_order_id")).isEqualTo(order.id());
		assertThat(this.gateway.verifyReturn(checkoutReturn(order.id(), paymentId,
				(String) checkout.get("razorpay_signature")))).isPresent();
		assertThat(this.gateway.confirm(this.gateway.verifyReturn(checkoutReturn(order.id(), paymentId,
				(String) checkout.get("razorpay_signature"))).orElseThrow()).block(WAIT))
			.singleElement()
			.satisfies(payment -> assertThat(payment.id()).isEqualTo(paymentId));

		assertThat(adapter().fetchOrder(order.id()).block(WAIT)).satisfies(paid -> {
			assertThat(paid.status()).isEqualTo("paid");
			assertThat(paid.amountPaid()).isEqualTo(10_000);
		});
		List<GatewayPayment> payments = this.gateway.fetchOrderPayments(order.id()).block(WAIT);
		assertThat(payments).singleElement().satisfies(payment -> {
			assertThat(payment.id()).isEqualTo(paymentId);
			assertThat(payment.orderId()).isEqualTo(order.id());
			assertThat(payment.amount()).isEqualTo(Money.inr(10_000));
			assertThat(payment.status()).isEqualTo(GatewayPayment.Status.CAPTURED);
			assertThat(payment.method()).isEqualTo("upi");
		});

		String key = UUID.randomUUID().toString();
		GatewayRefund partial = this.gateway.refund(null, paymentId, Money.inr(3_000), key).block(WAIT);
		assertThat(partial.id()).startsWith("rfnd_");
		assertThat(partial.amount()).isEqualTo(Money.inr(3_000));
		assertThat(partial.status()).isEqualTo(GatewayRefund.Status.PROCESSED);
		assertThat(this.gateway.refund(null, paymentId, Money.inr(3_000), key).block(WAIT))
			.as("same idempotency key, same refund")
			.isEqualTo(partial);
		assertThat(adapter().fetchPayment(paymentId).block(WAIT).amountRefunded()).isEqualTo(3_000);

		StepVerifier.create(this.gateway.refund(null, paymentId, Money.inr(7_001), null))
			.expectErrorSatisfies(ex -> assertThat(ex).isInstanceOfSatisfying(GatewayRejectedException.class,
					rejected -> {
						assertThat(rejected.status()).isEqualTo(HttpStatus.BAD_REQUEST);
						assertThat(rejected.getMessage()).doesNotContain("captured");
						assertThat(rejected.reason()).contains("greater than amount captured");
					}))
			.verify(WAIT);
		this.gateway.refund(null, paymentId, Money.inr(7_000), null).block(WAIT);
		GatewayPayment refunded = adapter().fetchPayment(paymentId).block(WAIT);
		assertThat(refunded.status()).isEqualTo(GatewayPayment.Status.REFUNDED);
		assertThat(refunded.amountRefunded()).isEqualTo(10_000);
		assertThat(adapter().fetchOrder(order.id()).block(WAIT).status()).as("stays paid after refunds")
			.isEqualTo("paid");
	}

	@Test
	void failedPaymentIsReportedWithTheGatewaysErrorAndNoSignature() {
		GatewayOrder order = this.gateway.createOrder(GatewayOrderRequest.of(Money.inr(2_500), receipt())).block(WAIT);
		Map<String, Object> checkout = pay(order.id(), "failure", null);
		assertThat(checkout).doesNotContainKey("razorpay_signature").containsKey("error");
		GatewayPayment failed = adapter().fetchPayment((String) checkout.get("razorpay_payment_id")).block(WAIT);
		assertThat(failed.status()).isEqualTo(GatewayPayment.Status.FAILED);
		assertThat(failed.errorCode()).isEqualTo("BAD_REQUEST_ERROR");
		assertThat(failed.errorDescription()).isNotBlank();
		assertThat(adapter().fetchOrder(order.id()).block(WAIT).status()).isEqualTo("attempted");
	}

	@Test
	void capturesAnAuthorisedPaymentOfAManualCaptureOrder() {
		Map<String, Object> raw = sandboxApi().post()
			.uri("/sandbox/razorpay/v1/orders")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("amount", 5_000, "currency", "INR", "receipt", receipt(), "payment_capture", 0))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() {
			})
			.returnResult()
			.getResponseBody();
		String orderId = (String) raw.get("id");
		String paymentId = (String) pay(orderId, "success", "card").get("razorpay_payment_id");
		assertThat(adapter().fetchPayment(paymentId).block(WAIT).status())
			.isEqualTo(GatewayPayment.Status.AUTHORIZED);

		GatewayPayment captured = this.gateway.capture(paymentId, Money.inr(5_000)).block(WAIT);
		assertThat(captured.status()).isEqualTo(GatewayPayment.Status.CAPTURED);
		assertThat(adapter().fetchOrder(orderId).block(WAIT).status()).isEqualTo("paid");
		StepVerifier.create(this.gateway.capture(paymentId, Money.inr(5_000)))
			.expectError(GatewayRejectedException.class)
			.verify(WAIT);
	}

	@Test
	void razorpayErrorsSurfaceAsTypedTijoriErrors() {
		StepVerifier.create(this.gateway.createOrder(GatewayOrderRequest.of(Money.inr(50), receipt())))
			.expectErrorSatisfies(ex -> assertThat(ex).isInstanceOfSatisfying(GatewayRejectedException.class,
					rejected -> {
						assertThat(rejected.status()).isEqualTo(HttpStatus.BAD_REQUEST);
						assertThat(rejected.code()).isEqualTo("gateway_rejected");
						assertThat(rejected.reason()).isEqualTo("Order amount less than minimum amount allowed");
					}))
			.verify(WAIT);
		StepVerifier.create(adapter().fetchPayment("pay_DoesNotExist01"))
			.expectErrorSatisfies(ex -> assertThat(ex).isInstanceOfSatisfying(GatewayRejectedException.class,
					rejected -> assertThat(rejected.status()).isEqualTo(HttpStatus.NOT_FOUND)))
			.verify(WAIT);
	}

	@Test
	void checkoutReturnsAreCheckedWithTheKeySecretAndRejectTampering() {
		String good = "0f11cc191edc29d130bc37d38cefe813a98555955ea2e82cbd98e47ee375e49e";
		assertThat(this.gateway.verifyReturn(checkoutReturn("order_RPZ8hDdz9sNvqA", "pay_RPZ8k1zXn7L2bE", good)))
			.hasValue(new PaymentNotice("razorpay", "order_RPZ8hDdz9sNvqA", "pay_RPZ8k1zXn7L2bE", null, null, null));
		assertThat(this.gateway.verifyReturn(checkoutReturn("order_RPZ8hDdz9sNvqB", "pay_RPZ8k1zXn7L2bE", good)))
			.as("tampered order id")
			.isEmpty();
		assertThat(this.gateway.verifyReturn(checkoutReturn("order_RPZ8hDdz9sNvqA", "pay_RPZ8k1zXn7L2bF", good)))
			.as("tampered payment id")
			.isEmpty();
		assertThat(this.gateway.verifyReturn(checkoutReturn("order_RPZ8hDdz9sNvqA", "pay_RPZ8k1zXn7L2bE",
				"0f11cc191edc29d130bc37d38cefe813a98555955ea2e82cbd98e47ee375e49f")))
			.as("tampered signature")
			.isEmpty();
		// Razorpay's fields with one missing: a 400 naming it, which a client can fix
		org.assertj.core.api.Assertions
			.assertThatThrownBy(() -> this.gateway.verifyReturn(Map.of("razorpay_payment_id", "pay_RPZ8k1zXn7L2bE",
					"razorpay_signature", "0f11")))
			.isInstanceOfSatisfying(com.tijorihq.tijori.common.TijoriException.class,
					ex -> assertThat(ex.errors()).extracting(e -> e.field()).containsExactly("razorpay_order_id"));
		assertThat(this.gateway.verifyReturn(Map.of("ORDERID", "order_RPZ8hDdz9sNvqA"))).as("not Razorpay's fields")
			.isEmpty();
	}

	@Test
	void webhooksAreCheckedWithTheWebhookSecretAndTranslated() {
		byte[] body = ("{\"event\":\"payment.captured\",\"payload\":{\"payment\":{\"entity\":{\"id\":\"pay_X1\","
				+ "\"order_id\":\"order_X1\",\"amount\":4900,\"currency\":\"INR\",\"status\":\"captured\"}}}}")
			.getBytes(java.nio.charset.StandardCharsets.UTF_8);
		String signature = com.tijorihq.tijori.gateway.Hmac.sha256Hex("tijori_test_webhook_secret", body);
		HttpHeaders headers = new HttpHeaders();
		headers.set("X-Razorpay-Signature", signature);
		headers.set("X-Razorpay-Event-Id", "evt_X1");
		assertThat(this.gateway.verifyNotification(body, headers)).hasValueSatisfying(notification -> {
			assertThat(notification.eventId()).isEqualTo("evt_X1");
			assertThat(notification.event()).isEqualTo("payment.captured");
			assertThat(notification.payment()).isEqualTo(new PaymentNotice("razorpay", "order_X1", "pay_X1",
					GatewayPayment.Status.CAPTURED, Money.inr(4900), "evt_X1"));
		});
		headers.remove("X-Razorpay-Event-Id");
		assertThat(this.gateway.verifyNotification(body, headers).orElseThrow().eventId()).as("hash of the body")
			.startsWith("sha256:");
		headers.set("X-Razorpay-Signature",
				com.tijorihq.tijori.gateway.Hmac.sha256Hex("tijori_sandbox_secret", body));
		assertThat(this.gateway.verifyNotification(body, headers)).as("key secret is not it").isEmpty();
	}

	private static Map<String, String> checkoutReturn(String orderId, String paymentId, String signature) {
		return Map.of("razorpay_order_id", orderId, "razorpay_payment_id", paymentId, "razorpay_signature",
				signature);
	}

	private RazorpayGateway adapter() {
		return (RazorpayGateway) this.gateway;
	}

	private Map<String, Object> pay(String orderId, String outcome, String method) {
		Map<String, Object> body = new java.util.HashMap<>(Map.of("order_id", orderId, "outcome", outcome));
		if (method != null) {
			body.put("method", method);
		}
		return this.clients.anonymous()
			.post("/sandbox/razorpay/pay", body)
			.expectStatus()
			.isOk()
			.expectBody(new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() {
			})
			.returnResult()
			.getResponseBody();
	}

	private WebTestClient sandboxApi() {
		return this.clients.anonymous()
			.raw()
			.mutate()
			.defaultHeaders(headers -> headers.setBasicAuth("rzp_test_sandboxTijori1", "tijori_sandbox_secret"))
			.build();
	}

	static String receipt() {
		return "ord_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
	}

}
