package com.tijorihq.tijori.checkout;

/**
 * The fields that say when an order is next due for background work ({@link com.tijorihq.tijori.common.DueKey}
 * values, each under its own sparse unique index, present only while that work is outstanding).
 */
final class DueKeys {

	/** Set while an order has changes the order-event log does not have yet. */
	static final String RELAY = "relayDue";

	/** Set while an unpaid (or recently expired) order may still need the gateway asked about it. */
	static final String RECONCILE = "reconcileDue";

	/** Set while money needs settling after payment (refunds in flight, duplicates, late payments). */
	static final String REFUND_CHECK = "refundCheckDue";

	private DueKeys() {
	}

}
