package com.tijorihq.tijori.gateway.razorpay;

import com.tijorihq.tijori.gateway.GatewayPayment;
import com.tijorihq.tijori.gateway.GatewayRefund;

/**
 * Razorpay's status words mapped exhaustively to the gateway-neutral ones, for the SDK adapter and for webhook
 * payloads alike. An unknown word is an error, never a guess.
 */
public final class RazorpayStatuses {

	private RazorpayStatuses() {
	}

	public static GatewayPayment.Status payment(String status) {
		return switch (status) {
			case "created" -> GatewayPayment.Status.CREATED;
			case "authorized" -> GatewayPayment.Status.AUTHORIZED;
			case "captured" -> GatewayPayment.Status.CAPTURED;
			case "refunded" -> GatewayPayment.Status.REFUNDED;
			case "failed" -> GatewayPayment.Status.FAILED;
			default -> throw new IllegalArgumentException("Unknown Razorpay payment status '" + status + "'");
		};
	}

	/** {@code created} appears in {@code refund.created} webhooks: the refund is still pending. */
	public static GatewayRefund.Status refund(String status) {
		return switch (status) {
			case "pending", "created" -> GatewayRefund.Status.PENDING;
			case "processed" -> GatewayRefund.Status.PROCESSED;
			case "failed" -> GatewayRefund.Status.FAILED;
			default -> throw new IllegalArgumentException("Unknown Razorpay refund status '" + status + "'");
		};
	}

}
