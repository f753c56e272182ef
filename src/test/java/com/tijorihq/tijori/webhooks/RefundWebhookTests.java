package com.tijorihq.tijori.webhooks;

import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

import com.tijorihq.tijori.support.ApiClient;
import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

@IntegrationTest
class RefundWebhookTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@Autowired
	ApiClients clients;

	Payments payments;

	@BeforeEach
	void setUp() {
		this.payments = new Payments(this.clients);
	}

	@Test
	void aRefundWebhookForARefundAlreadySettledChangesNothing() {
		ApiClient admin = this.clients.admin();
		ApiClient buyer = this.clients.customer();
		JsonNode order = paid(buyer, 50_000);
		String orderId = order.get("id").asText();
		JsonNode refund = admin.post("/api/orders/" + orderId + "/refunds", Map.of("amount", 20_000))
			.expectStatus()
			.isCreated()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		JsonNode gatewayRefund = this.payments.sandboxApi("/refunds/" + refund.get("gatewayRefundId").asText());
		byte[] body = Payments.event("refund.processed", Map.of("refund", Map.of("entity", gatewayRefund)));

		this.payments.deliver(body, Payments.sign(body), "evt_rp_" + gatewayRefund.get("id").asText())
			.expectStatus()
			.isOk();

		JsonNode after = this.payments.get(admin, orderId);
		assertThat(after.get("status").asText()).isEqualTo("partially_refunded");
		assertThat(after.at("/amountRefunded/amount").asLong()).isEqualTo(20_000);
		assertThat(after.get("refunds")).hasSize(1);
	}

	@Test
	void aRefundMadeInTheGatewaysDashboardIsRecordedOnce() {
		ApiClient admin = this.clients.admin();
		ApiClient buyer = this.clients.customer();
		JsonNode order = paid(buyer, 60_000);
		String orderId = order.get("id").asText();
		String paymentId = order.at("/payments/0/gatewayPaymentId").asText();
		// straight at the gateway, as an operator would in Razorpay's dashboard
		JsonNode gatewayRefund = this.clients.anonymous()
			.raw()
			.post()
			.uri("/sandbox/razorpay/v1/payments/" + paymentId + "/refund")
			.headers(h -> h.setBasicAuth("rzp_test_sandboxTijori1", "tijori_sandbox_secret"))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("amount", 60_000))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		JsonNode paymentEntity = this.payments.gatewayPayment(paymentId);
		byte[] body = Payments.event("refund.processed",
				Map.of("refund", Map.of("entity", gatewayRefund), "payment", Map.of("entity", paymentEntity)));

		for (int i = 0; i < 2; i++) {
			this.payments.deliver(body, Payments.sign(body), "evt_dash_" + i + gatewayRefund.get("id").asText())
				.expectStatus()
				.isOk();
		}

		JsonNode after = this.payments.get(admin, orderId);
		assertThat(after.get("status").asText()).isEqualTo("refunded");
		assertThat(after.at("/amountRefunded/amount").asLong()).isEqualTo(60_000);
		assertThat(after.get("refunds")).singleElement()
			.satisfies(r -> assertThat(r.get("gatewayRefundId").asText()).isEqualTo(gatewayRefund.get("id").asText()));
		// and nothing is left for an admin refund
		admin.post("/api/orders/" + orderId + "/refunds", Map.of()).expectStatus().isEqualTo(409);
	}

	private JsonNode paid(ApiClient buyer, long paise) {
		JsonNode order = this.payments.order(buyer, paise);
		String paymentId = this.payments.pay(order, "success");
		byte[] body = Payments.event("payment.captured",
				Payments.paymentPayload(this.payments.gatewayPayment(paymentId), "captured"));
		this.payments.deliver(body, Payments.sign(body), "evt_paid_" + paymentId).expectStatus().isOk();
		return this.payments.await(buyer, order.get("id").asText(), o -> o.get("status").asText().equals("paid"),
				WAIT);
	}

}
