package com.tijorihq.tijori.reconciliation;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * One place where Tijori's books and a gateway disagree, with what settles it.
 *
 * @param tijoriState what Tijori's books say (a payment's or refund's status, or {@code none})
 * @param gatewayState what the gateway says ({@code none} when it has no such thing)
 * @param tijoriAmount Tijori's amount in paise, or null when it has none
 * @param gatewayAmount the gateway's amount in paise, or null when it has none
 * @param detail one sentence for a person
 */
record Difference(Kind kind, Action action, String gateway, String orderId, String gatewayOrderId, String paymentId,
		String refundId, String tijoriState, String gatewayState, Long tijoriAmount, Long gatewayAmount,
		String currency, String detail) implements ReportLine {

	/** Whether a person must look at it: an admin must act, or the gateway could not be asked. */
	boolean unexplained() {
		return this.action == Action.ADMIN || this.action == Action.RETRY;
	}

	/** The classes of difference. */
	enum Kind {

		/** The gateway captured money for an order that is not paid here (lost webhook, late authorisation). */
		CAPTURED_NOT_PAID,
		/** The gateway authorised a payment Tijori has not captured. */
		AUTHORISED_NOT_CAPTURED,
		/** Tijori counts a payment captured that the gateway does not (or does not know). */
		PAID_NOT_CAPTURED,
		/** The gateway's amount or currency differs from Tijori's order or payment. */
		AMOUNT_MISMATCH,
		/** A second capture for an order another payment already paid. */
		DUPLICATE_PAYMENT,
		/** A refund's amount or state differs, or money refunded at the gateway that Tijori does not count. */
		REFUND_MISMATCH,
		/** The gateway took a payment for a gateway order no Tijori order has. */
		UNKNOWN_PAYMENT,
		/** The gateway could not be asked; nothing is known. */
		UNCHECKED;

		@JsonValue
		String wire() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	/** Who settles a difference. */
	enum Action {

		/** The reconciler settles it by itself on a coming sweep. */
		RECONCILER,
		/** Already settled (a duplicate whose refund went through); listed so the money is explained. */
		SETTLED,
		/** Tijori will not settle it: an admin must act. */
		ADMIN,
		/** The gateway did not answer: run the report again. */
		RETRY;

		@JsonValue
		String wire() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

}
