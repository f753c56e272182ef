package com.tijorihq.tijori.gateway;

import com.tijorihq.tijori.common.Money;

/**
 * What a gateway told Tijori about a payment (the browser's return, a server-to-server notification, a webhook),
 * after its adapter verified the signature, in gateway-neutral terms. A notice only <em>names</em> a payment:
 * checkout applies what {@link PaymentGateway#confirm} says of it, never the notice's own status or amount.
 *
 * @param gateway the adapter's {@link PaymentGateway#name()}
 * @param gatewayOrderId the gateway order (attempt) the payment was made on; never null
 * @param gatewayPaymentId the gateway's payment id, or null when the gateway names only its order (Paytm, PayU)
 * @param status what the notice claimed, or null; for logs and metrics only
 * @param amount what the notice claimed, or null; for logs and metrics only
 * @param reference the gateway's own reference for the message (event id, transaction id), for audit; may be null
 */
public record PaymentNotice(String gateway, String gatewayOrderId, String gatewayPaymentId,
		GatewayPayment.Status status, Money amount, String reference) {

	public PaymentNotice {
		if (gateway == null || gatewayOrderId == null || gatewayOrderId.isBlank()) {
			throw new IllegalArgumentException("A payment notice names its gateway and gateway order");
		}
	}

}
