package com.tijorihq.tijori.checkout;

import java.time.Instant;

import com.tijorihq.tijori.checkout.OrderDocument.RefundRecord;
import com.tijorihq.tijori.common.Money;

/**
 * A refund as the API returns it, on its own (201) and in {@code OrderResponse.refunds}.
 *
 * @param gatewayPaymentId the payment whose money it gives back
 * @param duplicate gives back a duplicate payment (started by Tijori itself)
 */
record RefundResponse(String id, String orderId, Money amount, RefundStatus status, String gatewayRefundId,
		String gatewayPaymentId, boolean duplicate, Instant createdAt, Instant updatedAt) {

	static RefundResponse of(String orderId, RefundRecord refund) {
		return new RefundResponse(refund.publicId(), orderId, refund.money(), refund.status(), refund.gatewayRefundId(),
				refund.gatewayPaymentId(), refund.isDuplicate(), refund.createdAt(), refund.updatedAt());
	}

}
