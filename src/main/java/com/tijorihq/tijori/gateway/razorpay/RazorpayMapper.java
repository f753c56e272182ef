package com.tijorihq.tijori.gateway.razorpay;

import java.util.List;

import com.razorpay.Entity;
import org.json.JSONObject;

import com.tijorihq.tijori.common.Money;
import com.tijorihq.tijori.gateway.GatewayOrder;
import com.tijorihq.tijori.gateway.GatewayPayment;
import com.tijorihq.tijori.gateway.GatewayRefund;

/**
 * Razorpay entities → Tijori records, read from the entity's JSON. Amounts are JSON integers in the smallest unit
 * (the SDK hands them over as {@code Integer} or {@code Long}), read as {@code long}. Status mapping is
 * exhaustive: an unknown status is a protocol error, never a guess.
 */
final class RazorpayMapper {

	private RazorpayMapper() {
	}

	static GatewayOrder order(Entity entity) {
		JSONObject json = entity.toJson();
		return new GatewayOrder(json.getString("id"), money(json, "amount"), json.optLong("amount_paid", 0),
				text(json, "receipt"), json.getString("status"));
	}

	static GatewayPayment payment(Entity entity) {
		JSONObject json = entity.toJson();
		return new GatewayPayment(json.getString("id"), text(json, "order_id"), money(json, "amount"),
				RazorpayStatuses.payment(json.getString("status")), text(json, "method"), json.optLong("amount_refunded", 0),
				text(json, "error_code"), text(json, "error_description"));
	}

	static GatewayRefund refund(Entity entity) {
		JSONObject json = entity.toJson();
		return new GatewayRefund(json.getString("id"), text(json, "payment_id"), money(json, "amount"),
				RazorpayStatuses.refund(json.getString("status")));
	}

	/** One of the entity's notes, or null (Razorpay sends an empty array, not an object, when there are none). */
	static String note(Entity entity, String name) {
		JSONObject notes = entity.toJson().optJSONObject("notes");
		return (notes == null || notes.isNull(name)) ? null : notes.optString(name, null);
	}

	static List<GatewayPayment> payments(List<? extends Entity> entities) {
		return entities.stream().map(RazorpayMapper::payment).toList();
	}



	private static Money money(JSONObject json, String field) {
		Object amount = json.get(field);
		if (!(amount instanceof Integer || amount instanceof Long)) {
			throw new IllegalArgumentException("Razorpay " + field + " is not an integer: " + amount);
		}
		return new Money(((Number) amount).longValue(), json.getString("currency"));
	}

	private static String text(JSONObject json, String field) {
		return json.isNull(field) ? null : json.optString(field, null);
	}

}
