package com.tijorihq.tijori.gateway.sandbox;

import java.time.Instant;
import java.util.Map;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.mongodb.core.mapping.Document;

/** What the sandbox stores, in collections of its own; rendered to Razorpay's JSON by {@link RazorpayJson}. */
final class SandboxDocuments {

	static final String ORDERS = "sandbox_razorpay_orders";

	static final String PAYMENTS = "sandbox_razorpay_payments";

	static final String REFUNDS = "sandbox_razorpay_refunds";

	static final String EVENTS = "sandbox_razorpay_webhooks";

	private SandboxDocuments() {
	}

	@Document(ORDERS)
	record SandboxOrder(@Id String id, long amount, long amountPaid, String currency, String receipt, String status,
			int attempts, Map<String, String> notes, boolean autoCapture, long createdAt, @Version Long version) {

		SandboxOrder attempted() {
			return new SandboxOrder(this.id, this.amount, this.amountPaid, this.currency, this.receipt,
					"paid".equals(this.status) ? this.status : "attempted", this.attempts + 1, this.notes,
					this.autoCapture, this.createdAt, this.version);
		}

		SandboxOrder paid(long paid) {
			long total = this.amountPaid + paid;
			return new SandboxOrder(this.id, this.amount, total, this.currency, this.receipt,
					total >= this.amount ? "paid" : "attempted", this.attempts, this.notes, this.autoCapture,
					this.createdAt, this.version);
		}

	}

	@Document(PAYMENTS)
	record SandboxPayment(@Id String id, String orderId, long amount, String currency, String status,
			String method, boolean captured, long amountRefunded, String refundStatus, String errorCode,
			String errorDescription, String errorSource, String errorStep, String errorReason, long createdAt,
			@Version Long version) {

		SandboxPayment asCaptured() {
			return new SandboxPayment(this.id, this.orderId, this.amount, this.currency, "captured", this.method,
					true, this.amountRefunded, this.refundStatus, null, null, null, null, null, this.createdAt,
					this.version);
		}

		SandboxPayment withRefund(long refund) {
			long total = this.amountRefunded + refund;
			boolean full = total >= this.amount;
			return new SandboxPayment(this.id, this.orderId, this.amount, this.currency,
					full ? "refunded" : this.status, this.method, this.captured, total, full ? "full" : "partial",
					null, null, null, null, null, this.createdAt, this.version);
		}

	}

	/** {@code idempotencyKey} is unique: the client's {@code X-Refund-Idempotency} per payment, else the id. */
	@Document(REFUNDS)
	record SandboxRefund(@Id String id, String paymentId, long amount, String currency, String status,
			String idempotencyKey, Map<String, String> notes, long createdAt) {
	}

	/**
	 * One webhook delivery (the outbox). Duplicates share {@code eventId}; {@code sequence} orders delivery.
	 * {@code status}: pending, delivered, failed (gave up), skipped (delivery was off).
	 */
	@Document(EVENTS)
	record SandboxEvent(@Id String id, String eventId, String event, String body, String status, int attempts,
			Instant nextAttemptAt, long sequence, Instant createdAt) {
	}

}
