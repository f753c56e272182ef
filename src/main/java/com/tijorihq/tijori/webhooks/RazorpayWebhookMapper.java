package com.tijorihq.tijori.webhooks;

import com.fasterxml.jackson.databind.JsonNode;

import com.tijorihq.tijori.common.Money;
import com.tijorihq.tijori.gateway.GatewayPayment;
import com.tijorihq.tijori.gateway.GatewayRefund;
import com.tijorihq.tijori.gateway.razorpay.RazorpayStatuses;

/**
 * Razorpay's webhook entities ({@code payload.payment.entity}, {@code payload.refund.entity}) → the gateway-neutral
 * records. The same wire format as the REST API (razorpay.md): integer amounts in the smallest unit, statuses
 * mapped exhaustively; anything else is an {@link IllegalArgumentException} (the event is then ignored, never
 * guessed at).
 */
final class RazorpayWebhookMapper {

	private RazorpayWebhookMapper() {
	}

	static GatewayPayment payment(JsonNode entity) {
		return new GatewayPayment(text(entity, "id", true), text(entity, "order_id", false), money(entity),
				RazorpayStatuses.payment(text(entity, "status", true)), text(entity, "method", false),
				entity.path("amount_refunded").asLong(0), text(entity, "error_code", false),
				text(entity, "error_description", false));
	}

	static GatewayRefund refund(JsonNode entity) {
		return new GatewayRefund(text(entity, "id", true), text(entity, "payment_id", true), money(entity),
				RazorpayStatuses.refund(text(entity, "status", true)));
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
