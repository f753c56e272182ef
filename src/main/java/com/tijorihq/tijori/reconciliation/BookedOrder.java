package com.tijorihq.tijori.reconciliation;

import java.time.Instant;
import java.util.List;

import com.tijorihq.tijori.common.Money;

/**
 * One order as Tijori's books have it, in gateway-neutral terms (statuses as their wire names).
 *
 * @param status the order's status ({@code paid}, {@code expired}, ...)
 * @param paidBy the gateway payment whose capture made the order paid, or null
 * @param watched whether the reconciler still looks at this order by itself (unpaid and not long expired, or paid
 *        and within the late-payment window), so a difference it can settle will be settled without an admin
 * @param flags what checkout already flagged for an admin
 */
public record BookedOrder(String orderId, Money total, String status, String paidBy, Instant createdAt,
		boolean watched, List<Attempt> attempts, List<Payment> payments, List<Refund> refunds, List<String> flags) {

	/** Where a page of orders ended, to resume after it. */
	public record Position(Instant createdAt, String orderId) {
	}

	public Position position() {
		return new Position(this.createdAt, this.orderId);
	}

	/** Whether money was taken for this order (paid, or refunded since). */
	public boolean paid() {
		return this.paidBy != null;
	}

	/** One attempt: one gateway order. */
	public record Attempt(String gateway, String gatewayOrderId) {
	}

	/**
	 * One payment as Tijori last saw it.
	 *
	 * @param refunded money of this payment Tijori counts as refunded by the gateway
	 * @param duplicate Tijori knows it as money taken twice, to be given back
	 */
	public record Payment(String gatewayPaymentId, String gatewayOrderId, String status, Money amount, long refunded,
			boolean duplicate) {

		public boolean captured() {
			return "captured".equals(this.status) || "refunded".equals(this.status);
		}

	}

	/**
	 * One refund as Tijori last saw it.
	 *
	 * @param gatewayRefundId null while the gateway's answer is unknown
	 * @param status {@code pending}, {@code processed} or {@code failed}
	 */
	public record Refund(String refundId, String gatewayRefundId, String gatewayPaymentId, Money amount,
			String status, boolean duplicate) {
	}

}
