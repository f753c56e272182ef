package com.tijorihq.tijori.gateway;

/**
 * A verified server-to-server message from a gateway (webhook, notification), translated by its adapter.
 * Exactly one of {@code payment} and {@code refund} is set, or neither for a message Tijori keeps but does not act
 * on ({@code ignoredBecause} says why).
 *
 * @param eventId the gateway's event id, or a hash of the payload's own event id/content when it sends none: the
 *        key deliveries are deduplicated by
 * @param event the gateway's event name, for logs and metrics; may be null
 * @param gatewayOrderId the gateway order a refund's payment belongs to, when the message says; may be null
 */
public record GatewayNotification(String eventId, String event, PaymentNotice payment, GatewayRefund refund,
		String gatewayOrderId, String ignoredBecause) {

	public static GatewayNotification payment(String eventId, String event, PaymentNotice payment) {
		return new GatewayNotification(eventId, event, payment, null, payment.gatewayOrderId(), null);
	}

	public static GatewayNotification refund(String eventId, String event, GatewayRefund refund,
			String gatewayOrderId) {
		return new GatewayNotification(eventId, event, null, refund, gatewayOrderId, null);
	}

	public static GatewayNotification ignored(String eventId, String event, String why) {
		return new GatewayNotification(eventId, event, null, null, null, why);
	}

}
