package com.tijorihq.tijori.checkout;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.bson.types.ObjectId;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

import com.tijorihq.tijori.common.Money;

/**
 * A stored order. Everything that must change together lives in this one document, because the embedded MongoDB
 * has no transactions: a status change, its version and its event are one conditional update.
 *
 * @param version number of status changes so far; the SSE sequence number of the latest event
 * @param payments payment attempts keyed by the gateway's payment id (so an update is idempotent)
 * @param events every status change, in order (the outbox copied to {@code order_events})
 * @param eventsPending set with each change, cleared once {@code order_events} has it
 * @param gatewayLeaseUntil while set and in the future, one request is creating the gateway order
 * @param gatewayAttempts how many times creating the gateway order was started
 * @param verificationFailures rejected verify calls (bad signature, another order's ids, wrong amount)
 * @param flags conditions an admin must look at (e.g. a capture whose amount differs)
 * @param refundable captured money not yet refunded nor reserved by a refund in flight; set when the order
 *        becomes {@code paid} and only ever changed by conditional {@code $inc}s (a filter {@code refundable >= x}
 *        is what keeps concurrent refunds from exceeding the capture; the embedded MongoDB has no {@code $expr})
 * @param refunds refunds keyed by Tijori's refund id
 * @param reconcileAfter the reconciler leaves the order alone until then (claimed by a conditional update)
 * @param checkout what the buyer's browser needs to open the gateway's checkout (public values only), stored with
 *        the gateway order id
 * @param previousGatewayOrderIds earlier gateway orders of this order, replaced by a new checkout after a failed
 *        payment at a gateway that takes each order id once (Paytm, PayU); their payments still count (a late
 *        success is still this order's money)
 * @param refundCheckAfter set while a refund the gateway accepted as pending awaits its outcome: the reconciler
 *        asks the gateway about it from then on (for gateways without refund webhooks)
 */
@Document(OrderDocument.COLLECTION)
record OrderDocument(@Id ObjectId id, String publicId, String userId, List<LineItem> items, long amount,
		String currency, OrderStatus status, long version, String gateway, String gatewayOrderId,
		Instant gatewayLeaseUntil, int gatewayAttempts, Map<String, PaymentAttempt> payments, List<OrderEvent> events,
		boolean eventsPending, long amountRefunded, int verificationFailures, List<String> flags, Instant createdAt,
		Instant updatedAt, Long refundable, Map<String, RefundRecord> refunds, Instant reconcileAfter,
		Map<String, String> checkout, Instant refundCheckAfter, List<String> previousGatewayOrderIds) {

	static final String COLLECTION = "orders";

	Money total() {
		return new Money(this.amount, this.currency);
	}

	/** The current gateway order id and every earlier one. */
	List<String> allGatewayOrderIds() {
		List<String> ids = new java.util.ArrayList<>();
		if (this.gatewayOrderId != null) {
			ids.add(this.gatewayOrderId);
		}
		if (this.previousGatewayOrderIds != null) {
			this.previousGatewayOrderIds.stream().filter(id -> !ids.contains(id)).forEach(ids::add);
		}
		return ids;
	}

	boolean hasGatewayOrder(String gatewayOrderId) {
		return gatewayOrderId != null && allGatewayOrderIds().contains(gatewayOrderId);
	}

	/** The gateway order a payment was made on (refunds at Paytm name it); the current one for older records. */
	String gatewayOrderIdOf(String gatewayPaymentId) {
		PaymentAttempt attempt = (this.payments != null) ? this.payments.get(gatewayPaymentId) : null;
		return (attempt != null && attempt.gatewayOrderId() != null) ? attempt.gatewayOrderId() : this.gatewayOrderId;
	}

	/** One line of the order, priced from the catalog when the order was made. */
	record LineItem(String productId, String name, long quantity, long unitAmount, String currency) {

		Money unitPrice() {
			return new Money(this.unitAmount, this.currency);
		}

	}

	/** One payment attempt as Tijori last saw it. */
	record PaymentAttempt(String publicId, String gatewayPaymentId, PaymentStatus status, String method, long amount,
			String currency, Instant createdAt, Instant updatedAt, String gatewayOrderId) {
	}

	/**
	 * One refund. {@code pending} from the moment its amount is reserved until the gateway says it was
	 * processed (money counted in {@code amountRefunded}) or failed (amount released back to {@code refundable}).
	 *
	 * @param publicId Tijori's refund id ({@code rfd_…}; not {@code id}, which Spring Data would map to {@code _id})
	 * @param idempotencyKey the client's {@code Idempotency-Key}, or null
	 * @param gatewayRefundId null until the gateway has answered
	 */
	record RefundRecord(String publicId, String gatewayRefundId, String gatewayPaymentId, long amount, String currency,
			RefundStatus status, String idempotencyKey, Instant createdAt, Instant updatedAt) {

		Money money() {
			return new Money(this.amount, this.currency);
		}

	}

	/** One status change. */
	record OrderEvent(long version, OrderStatus status, Instant at) {
	}

}
