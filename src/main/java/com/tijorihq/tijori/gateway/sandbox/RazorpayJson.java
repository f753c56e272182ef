package com.tijorihq.tijori.gateway.sandbox;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.tijorihq.tijori.gateway.sandbox.SandboxDocuments.SandboxOrder;
import com.tijorihq.tijori.gateway.sandbox.SandboxDocuments.SandboxPayment;
import com.tijorihq.tijori.gateway.sandbox.SandboxDocuments.SandboxRefund;

/**
 * Razorpay's JSON for the sandbox's entities, field for field as the REST API documents them. Every entity carries
 * {@code entity}: razorpay-java picks the Java type from it and fails without it.
 */
final class RazorpayJson {

	private RazorpayJson() {
	}

	static Map<String, Object> order(SandboxOrder order) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("id", order.id());
		json.put("entity", "order");
		json.put("amount", order.amount());
		json.put("amount_paid", order.amountPaid());
		json.put("amount_due", Math.max(0, order.amount() - order.amountPaid()));
		json.put("currency", order.currency());
		json.put("receipt", order.receipt());
		json.put("offer_id", null);
		json.put("status", order.status());
		json.put("attempts", order.attempts());
		json.put("notes", order.notes() == null || order.notes().isEmpty() ? List.of() : order.notes());
		json.put("created_at", order.createdAt());
		return json;
	}

	static Map<String, Object> payment(SandboxPayment payment) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("id", payment.id());
		json.put("entity", "payment");
		json.put("amount", payment.amount());
		json.put("currency", payment.currency());
		json.put("status", payment.status());
		json.put("order_id", payment.orderId());
		json.put("invoice_id", null);
		json.put("international", false);
		json.put("method", payment.method());
		json.put("amount_refunded", payment.amountRefunded());
		json.put("refund_status", payment.refundStatus());
		json.put("captured", payment.captured());
		json.put("description", "Tijori sandbox payment");
		json.put("email", "buyer@example.com");
		json.put("contact", "+919000090000");
		json.put("notes", List.of());
		json.put("fee", payment.captured() ? payment.amount() * 2 / 100 : null);
		json.put("tax", payment.captured() ? payment.amount() * 2 / 100 * 18 / 118 : null);
		json.put("error_code", payment.errorCode());
		json.put("error_description", payment.errorDescription());
		json.put("error_source", payment.errorSource());
		json.put("error_step", payment.errorStep());
		json.put("error_reason", payment.errorReason());
		json.put("created_at", payment.createdAt());
		return json;
	}

	static Map<String, Object> refund(SandboxRefund refund) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("id", refund.id());
		json.put("entity", "refund");
		json.put("amount", refund.amount());
		json.put("currency", refund.currency());
		json.put("payment_id", refund.paymentId());
		json.put("notes", refund.notes() == null || refund.notes().isEmpty() ? List.of() : refund.notes());
		json.put("receipt", null);
		json.put("status", refund.status());
		json.put("speed_requested", "normal");
		json.put("speed_processed", "normal");
		json.put("created_at", refund.createdAt());
		return json;
	}

	static Map<String, Object> collection(List<Map<String, Object>> items) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("entity", "collection");
		json.put("count", items.size());
		json.put("items", items);
		return json;
	}

	static Map<String, Object> error(RazorpayApiException ex) {
		Map<String, Object> error = new LinkedHashMap<>();
		error.put("code", ex.code());
		error.put("description", ex.getMessage());
		error.put("source", "business");
		error.put("step", "payment_initiation");
		error.put("reason", ex.reason());
		error.put("metadata", Map.of());
		if (ex.field() != null) {
			error.put("field", ex.field());
		}
		return Map.of("error", error);
	}

}
