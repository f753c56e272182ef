package com.tijorihq.tijori.checkout;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.bson.types.ObjectId;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

import com.tijorihq.tijori.common.Money;

/**
 * A stored order. Everything that must change together lives in this one document, because the embedded MongoDB
 * has no transactions: a status change, its version and its event are one conditional update.
 *
 * @param version number of status changes so far; the SSE sequence number of the latest event
 * @param revision bumped by every write that changes what the order knows of its payments or attempts, so a
 *        decision taken on a read (the reconciler's expiry) can be pinned to exactly that read (null on orders
 *        stored before it existed, which a pin matches as "still absent")
 * @param gatewayOrderId the current attempt's gateway order id (null until the first attempt exists): the pin a
 *        new attempt is appended against, so two concurrent "pay again" calls append one
 * @param attempts the order's payment attempts at its gateway, oldest first; the last one is the current one
 * @param gatewayLeaseUntil while set and in the future, one request is creating the first attempt's gateway order
 * @param gatewayAttempts how many times creating the first gateway order was started
 * @param payments every payment seen on any attempt, keyed by the gateway's payment id (so an update is
 *        idempotent)
 * @param paidBy the gateway payment id whose capture made the order {@code paid}; any other captured payment is a
 *        duplicate and is refunded
 * @param idempotencyKey the buyer's {@code Idempotency-Key}, scoped to the buyer ({@code userId:key}), unique among
 *        orders: the key's claim rides on the order's own insert; null when the request had none
 * @param requestHash what the key was used for (a hash of the request), so another request under it is refused
 * @param events every status change, in order (the outbox handed to {@code events})
 * @param relayDue set with each change ({@link DueKeys}), cleared once {@code events} has every change
 * @param eventsPublished the highest version {@code events} has been given (null on older orders: none known)
 * @param amountRefunded money of the paying payment the gateway has refunded (duplicates' refunds not included)
 * @param verificationFailures rejected verify calls (bad signature, another order's ids, wrong amount)
 * @param flags conditions an admin must look at (e.g. a capture whose amount differs)
 * @param refunds refunds keyed by Tijori's refund id
 * @param reconcileDue while the order may need its gateway asked about it (unpaid, or recently expired): when
 *        the reconciler looks next ({@link DueKeys}; claimed by a conditional update)
 * @param refundCheckDue set while money needs settling after payment (a refund awaiting its outcome, a
 *        duplicate capture to give back, late payments): when the reconciler looks next ({@link DueKeys})
 */
@Document(OrderDocument.COLLECTION)
record OrderDocument(@Id ObjectId id, String publicId, String userId, String idempotencyKey, String requestHash,
		List<LineItem> items, long amount,
		String currency, OrderStatus status, long version, Long revision, String gateway, String gatewayOrderId,
		List<Attempt> attempts, Instant gatewayLeaseUntil, int gatewayAttempts, Map<String, Payment> payments,
		String paidBy, List<OrderEvent> events, String relayDue, Long eventsPublished, long amountRefunded, int verificationFailures,
		List<String> flags, Instant createdAt, Instant updatedAt, Map<String, RefundRecord> refunds,
		String reconcileDue, String refundCheckDue) {

	static final String COLLECTION = "orders";

	Money total() {
		return new Money(this.amount, this.currency);
	}

	List<Attempt> attemptList() {
		return (this.attempts != null) ? this.attempts : List.of();
	}

	Map<String, Payment> paymentMap() {
		return (this.payments != null) ? this.payments : Map.of();
	}

	Map<String, RefundRecord> refundMap() {
		return (this.refunds != null) ? this.refunds : Map.of();
	}

	/** The attempt a buyer pays on now, if any. */
	Optional<Attempt> currentAttempt() {
		List<Attempt> all = attemptList();
		return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
	}

	Optional<Attempt> attemptOf(String gatewayOrderId) {
		return attemptList().stream().filter(a -> a.gatewayOrderId().equals(gatewayOrderId)).findFirst();
	}

	boolean hasGatewayOrder(String gatewayOrderId) {
		return gatewayOrderId != null && attemptOf(gatewayOrderId).isPresent();
	}

	/** Every gateway order the order had, current first: a late payment on an earlier one still counts. */
	List<String> gatewayOrderIds() {
		List<Attempt> all = attemptList();
		return java.util.stream.IntStream.range(0, all.size())
			.mapToObj(i -> all.get(all.size() - 1 - i).gatewayOrderId())
			.toList();
	}

	/** The gateway order a payment was made on (refunds at Paytm name it). */
	String gatewayOrderIdOf(String gatewayPaymentId) {
		Payment payment = paymentMap().get(gatewayPaymentId);
		return (payment != null && payment.gatewayOrderId() != null) ? payment.gatewayOrderId() : this.gatewayOrderId;
	}

	/** The payments seen on one attempt. */
	List<Payment> paymentsOn(String gatewayOrderId) {
		return paymentMap().values().stream().filter(p -> gatewayOrderId.equals(p.gatewayOrderId())).toList();
	}

	/** One line of the order, priced from the catalog when the order was made. */
	record LineItem(String productId, String name, long quantity, long unitAmount, String currency) {

		Money unitPrice() {
			return new Money(this.unitAmount, this.currency);
		}

	}

	/**
	 * One try at paying the order at its gateway: one gateway order. Appended, never changed; its status is what
	 * its payments say ({@link AttemptStatus#of}).
	 *
	 * @param publicId Tijori's attempt id ({@code att_…})
	 * @param checkout what the buyer's browser needs to open this attempt's checkout (public values only)
	 */
	record Attempt(String publicId, String gateway, String gatewayOrderId, long amount, String currency,
			Map<String, String> checkout, Instant createdAt) {
	}

	/**
	 * One payment as Tijori last saw it.
	 *
	 * @param gatewayOrderId the attempt (gateway order) it was made on
	 * @param refundable captured money of this payment not yet refunded nor reserved by a refund in flight; set
	 *        once, when it is first seen captured, and only ever changed by conditional {@code $inc}s (a filter
	 *        {@code refundable >= x} keeps concurrent refunds from exceeding this payment's capture)
	 * @param refunded money of this payment the gateway has refunded
	 * @param duplicate money taken for an order that another payment had already paid
	 */
	record Payment(String publicId, String gatewayPaymentId, PaymentStatus status, String method, long amount,
			String currency, Instant createdAt, Instant updatedAt, String gatewayOrderId, Long refundable,
			Long refunded, Boolean duplicate) {

		long refundedAmount() {
			return (this.refunded != null) ? this.refunded : 0;
		}

		boolean isDuplicate() {
			return Boolean.TRUE.equals(this.duplicate);
		}

		Money money() {
			return new Money(this.amount, this.currency);
		}

		boolean captured() {
			return this.status == PaymentStatus.CAPTURED || this.status == PaymentStatus.REFUNDED;
		}

	}

	/**
	 * One refund of one payment. {@code pending} from the moment its amount is reserved until the gateway says it
	 * was processed (money counted) or failed (amount released back to the payment's {@code refundable}).
	 *
	 * @param publicId Tijori's refund id ({@code rfd_…}; not {@code id}, which Spring Data would map to {@code _id})
	 * @param idempotencyKey the client's {@code Idempotency-Key}, or null
	 * @param gatewayRefundId null until the gateway has answered
	 * @param duplicate gives back a duplicate payment (started by Tijori, not counted as the order's refund)
	 */
	record RefundRecord(String publicId, String gatewayRefundId, String gatewayPaymentId, long amount, String currency,
			RefundStatus status, String idempotencyKey, Instant createdAt, Instant updatedAt, Boolean duplicate) {

		boolean isDuplicate() {
			return Boolean.TRUE.equals(this.duplicate);
		}

		Money money() {
			return new Money(this.amount, this.currency);
		}

	}

	/** One status change. */
	record OrderEvent(long version, OrderStatus status, Instant at) {
	}

}
