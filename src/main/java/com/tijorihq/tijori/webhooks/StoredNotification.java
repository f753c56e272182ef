package com.tijorihq.tijori.webhooks;

import com.tijorihq.tijori.common.Money;
import com.tijorihq.tijori.gateway.GatewayNotification;
import com.tijorihq.tijori.gateway.GatewayRefund;
import com.tijorihq.tijori.gateway.PaymentNotice;

/**
 * What a verified notification asks Tijori to apply, as stored with it: enough to apply it again later without
 * reading the gateway's payload (whose signature could not be checked again without its headers).
 *
 * @param kind {@link #PAYMENT} or {@link #REFUND}
 * @param gatewayOrderId the payment's gateway order; for a refund, its payment's order when the message said
 * @param gatewayPaymentId the named payment, or null when the gateway names only its order
 * @param reference the gateway's own reference for the message, for audit
 */
record StoredNotification(String kind, String gatewayOrderId, String gatewayPaymentId, String reference,
		String refundId, String refundPaymentId, Long refundAmount, String refundCurrency, String refundStatus) {

	static final String PAYMENT = "payment";

	static final String REFUND = "refund";

	/** The part to apply, or null for a notification that is only kept. */
	static StoredNotification of(GatewayNotification notification) {
		if (notification.payment() != null) {
			PaymentNotice notice = notification.payment();
			return new StoredNotification(PAYMENT, notice.gatewayOrderId(), notice.gatewayPaymentId(),
					notice.reference(), null, null, null, null, null);
		}
		if (notification.refund() != null) {
			GatewayRefund refund = notification.refund();
			return new StoredNotification(REFUND, notification.gatewayOrderId(), null, null, refund.id(),
					refund.paymentId(), refund.amount().amount(), refund.amount().currency(), refund.status().name());
		}
		return null;
	}

	PaymentNotice payment(String gateway) {
		return new PaymentNotice(gateway, this.gatewayOrderId, this.gatewayPaymentId, null, null, this.reference);
	}

	GatewayRefund refund() {
		return new GatewayRefund(this.refundId, this.refundPaymentId, new Money(this.refundAmount, this.refundCurrency),
				GatewayRefund.Status.valueOf(this.refundStatus));
	}

}
