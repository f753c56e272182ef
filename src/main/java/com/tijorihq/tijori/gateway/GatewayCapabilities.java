package com.tijorihq.tijori.gateway;

/**
 * Where gateways differ, said once per adapter, so the core asks instead of branching on a gateway's name.
 *
 * @param autoCapture the gateway captures every authorised payment itself; {@link PaymentGateway#capture} is never
 *        called for it
 * @param retriesOnOneOrder a gateway order takes another payment after a failed one (Razorpay); otherwise paying
 *        again needs a new gateway order (a new attempt)
 * @param minimumRefund the smallest refund the gateway accepts, in the smallest currency unit
 * @param refundLookup {@link PaymentGateway#fetchRefund} can find a refund by Tijori's refund id alone (so a
 *        refund whose answer was lost can be settled by asking)
 * @param idempotentRefunds the gateway honours an idempotency key on refund writes, so re-sending a refund whose
 *        answer was lost is safe; otherwise its status is asked first
 * @param paymentListing {@link PaymentGateway#listPayments} lists every payment made in a time window (so a
 *        reconciliation can find payments Tijori never heard of); otherwise it lists nothing
 */
public record GatewayCapabilities(boolean autoCapture, boolean retriesOnOneOrder, long minimumRefund,
		boolean refundLookup, boolean idempotentRefunds, boolean paymentListing) {

}
