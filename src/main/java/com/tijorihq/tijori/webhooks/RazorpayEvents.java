package com.tijorihq.tijori.webhooks;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import com.tijorihq.tijori.checkout.PaymentService;
import com.tijorihq.tijori.checkout.RefundService;
import com.tijorihq.tijori.gateway.GatewayPayment;
import com.tijorihq.tijori.gateway.GatewayRefund;
import com.tijorihq.tijori.gateway.PaymentGateway;
import com.tijorihq.tijori.gateway.PaymentGateways;

/**
 * What a Razorpay event means for Tijori. Payment events ({@code payment.authorized|captured|failed},
 * {@code order.paid}) only <em>name</em> the payment: its current state is fetched from the gateway's API and that
 * is applied, so a stale, reordered or replayed event (or one forged with a leaked webhook secret) can never
 * apply anything the gateway itself does not confirm, and a payment captured since the event is seen as captured.
 * Refund events ({@code refund.created|processed|failed}) are applied from the signed payload: refund states only
 * move forward from {@code pending}, so a late one changes nothing. Every other event is acknowledged and kept.
 */
@Component
class RazorpayEvents {

	private final ObjectMapper json;

	private final PaymentGateway gateway;

	private final PaymentService payments;

	private final RefundService refunds;

	RazorpayEvents(ObjectMapper json, PaymentGateways gateways, PaymentService payments, RefundService refunds) {
		this.json = json;
		// Razorpay webhooks: only ever about Razorpay orders
		this.gateway = gateways.of("razorpay");
		this.payments = payments;
		this.refunds = refunds;
	}

	/** How an event was handled; {@code note} says why when nothing was applied. */
	record Outcome(String status, String note) {

		static Outcome applied() {
			return new Outcome(WebhookEventDocument.APPLIED, null);
		}

		static Outcome ignored(String why) {
			return new Outcome(WebhookEventDocument.IGNORED, why);
		}

	}

	/** The event name, or null when the body is not a Razorpay event envelope. */
	String eventName(String body) {
		try {
			JsonNode event = this.json.readTree(body).path("event");
			return event.isTextual() ? event.textValue() : null;
		}
		catch (IOException ex) {
			return null;
		}
	}

	Mono<Outcome> apply(String body) {
		return Mono.defer(() -> dispatch(body));
	}

	private Mono<Outcome> dispatch(String body) {
		JsonNode root;
		try {
			root = this.json.readTree(body);
		}
		catch (IOException ex) {
			return Mono.just(Outcome.ignored("not JSON"));
		}
		String event = root.path("event").asText("");
		return switch (event) {
			case "payment.authorized", "payment.captured", "payment.failed", "order.paid" -> payment(root);
			case "refund.created", "refund.processed", "refund.failed" -> refund(root);
			default -> Mono.just(Outcome.ignored("event not handled: " + (event.isEmpty() ? "(none)" : event)));
		};
	}

	private Mono<Outcome> payment(JsonNode root) {
		JsonNode entity = root.at("/payload/payment/entity");
		if (!entity.isObject()) {
			return Mono.just(Outcome.ignored("no payment entity"));
		}
		GatewayPayment reported = RazorpayWebhookMapper.payment(entity);
		if (reported.orderId() == null) {
			return Mono.just(Outcome.ignored("payment without an order"));
		}
		return this.gateway.fetchPayment(reported.id())
			.flatMap(current -> this.payments.applyGatewayPayment(this.gateway.name(), current).thenReturn(Outcome.applied()))
			.defaultIfEmpty(Outcome.ignored("payment unknown to the gateway"));
	}

	private Mono<Outcome> refund(JsonNode root) {
		JsonNode entity = root.at("/payload/refund/entity");
		if (!entity.isObject()) {
			return Mono.just(Outcome.ignored("no refund entity"));
		}
		GatewayRefund refund = RazorpayWebhookMapper.refund(entity);
		JsonNode orderId = root.at("/payload/payment/entity/order_id");
		return this.refunds.applyGatewayRefund(refund, orderId.isTextual() ? orderId.textValue() : null)
			.thenReturn(Outcome.applied());
	}

}
