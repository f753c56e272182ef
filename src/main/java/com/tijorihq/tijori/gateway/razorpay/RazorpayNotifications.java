package com.tijorihq.tijori.gateway.razorpay;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import com.tijorihq.tijori.common.Money;
import com.tijorihq.tijori.gateway.GatewayNotification;
import com.tijorihq.tijori.gateway.GatewayPayment;
import com.tijorihq.tijori.gateway.GatewayRefund;
import com.tijorihq.tijori.gateway.PaymentNotice;

/**
 * Razorpay's webhook envelope ({@code event}, {@code payload.payment.entity}, {@code payload.refund.entity}) → a
 * gateway-neutral notification. Payment events ({@code payment.authorized|captured|failed}, {@code order.paid})
 * only <em>name</em> the payment: checkout applies what the API says of it, so a stale, reordered or replayed
 * event (or one forged with a leaked webhook secret) never applies anything Razorpay does not confirm. Refund
 * events ({@code refund.created|processed|failed}) carry the refund as signed: refund states only move forward
 * from {@code pending}, so a late one changes nothing. Everything else, and anything unreadable in a signed body,
 * is an ignored notification: acknowledged and kept, never guessed at.
 */
final class RazorpayNotifications {

	private static final ObjectMapper JSON = JsonMapper.builder().build();

	private RazorpayNotifications() {
	}

	static GatewayNotification parse(String eventId, byte[] rawBody) {
		JsonNode root;
		try {
			root = JSON.readTree(rawBody);
		}
		catch (IOException ex) {
			return GatewayNotification.ignored(eventId, null, "not JSON");
		}
		if (root == null || !root.isObject()) {
			return GatewayNotification.ignored(eventId, null, "not a Razorpay event");
		}
		JsonNode name = root.path("event");
		String event = name.isTextual() ? name.textValue() : null;
		try {
			return switch ((event != null) ? event : "") {
				case "payment.authorized", "payment.captured", "payment.failed", "order.paid" ->
					payment(eventId, event, root);
				case "refund.created", "refund.processed", "refund.failed" -> refund(eventId, event, root);
				default -> GatewayNotification.ignored(eventId, event,
						"event not handled: " + ((event != null) ? event : "(none)"));
			};
		}
		catch (IllegalArgumentException ex) {
			return GatewayNotification.ignored(eventId, event, ex.getMessage());
		}
	}

	private static GatewayNotification payment(String eventId, String event, JsonNode root) {
		JsonNode entity = root.at("/payload/payment/entity");
		if (!entity.isObject()) {
			return GatewayNotification.ignored(eventId, event, "no payment entity");
		}
		GatewayPayment reported = payment(entity);
		if (reported.orderId() == null || reported.orderId().isBlank()) {
			return GatewayNotification.ignored(eventId, event, "payment without an order");
		}
		return GatewayNotification.payment(eventId, event, new PaymentNotice(RazorpayGateway.NAME, reported.orderId(),
				reported.id(), reported.status(), reported.amount(), eventId));
	}

	private static GatewayNotification refund(String eventId, String event, JsonNode root) {
		JsonNode entity = root.at("/payload/refund/entity");
		if (!entity.isObject()) {
			return GatewayNotification.ignored(eventId, event, "no refund entity");
		}
		GatewayRefund refund = new GatewayRefund(text(entity, "id", true), text(entity, "payment_id", true),
				money(entity), RazorpayStatuses.refund(text(entity, "status", true)));
		JsonNode orderId = root.at("/payload/payment/entity/order_id");
		return GatewayNotification.refund(eventId, event, refund, orderId.isTextual() ? orderId.textValue() : null);
	}

	/** The same wire format as the REST API (razorpay.md): integer amounts in the smallest unit. */
	static GatewayPayment payment(JsonNode entity) {
		return new GatewayPayment(text(entity, "id", true), text(entity, "order_id", false), money(entity),
				RazorpayStatuses.payment(text(entity, "status", true)), text(entity, "method", false),
				entity.path("amount_refunded").asLong(0), text(entity, "error_code", false),
				text(entity, "error_description", false));
	}

	private static Money money(JsonNode entity) {
		JsonNode amount = entity.get("amount");
		if (amount == null || !amount.isIntegralNumber() || !amount.canConvertToLong()) {
			throw new IllegalArgumentException("Razorpay amount is not an integer: " + amount);
		}
		return new Money(amount.longValue(), text(entity, "currency", true));
	}

	private static String text(JsonNode entity, String field, boolean required) {
		JsonNode node = entity.get(field);
		if (node == null || node.isNull()) {
			if (required) {
				throw new IllegalArgumentException("Razorpay entity has no " + field);
			}
			return null;
		}
		if (!node.isTextual()) {
			throw new IllegalArgumentException("Razorpay " + field + " is not text");
		}
		return node.textValue();
	}

}
