package com.tijorihq.tijori.checkout;

import java.time.Instant;

/**
 * When an order is next due for background work (publishing its changes, reconciling it, checking its money),
 * as a string that sorts by time and is unique per order: {@code <epoch millis, 13 digits>:<order id>}. Each kind
 * of work has its own field under a sparse unique index, present only while the work is outstanding, so "what is
 * due now" is a range read of that index: proportional to the work outstanding, never to the number of orders
 * (the embedded server serves such ranges from the index too, see {@code embedded.IndexedH2Collection}). The
 * value also serves as the claim: a conditional write on the value read changes only what was read.
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

	static String at(Instant when, String orderId) {
		return String.format("%013d:%s", Math.max(0, when.toEpochMilli()), orderId);
	}

	/** The exclusive upper bound of the keys due at {@code now}. */
	static String dueBy(Instant now) {
		return String.format("%013d", now.toEpochMilli() + 1);
	}

	/** The time a key names. */
	static Instant when(String key) {
		return Instant.ofEpochMilli(Long.parseLong(key.substring(0, 13)));
	}

}
