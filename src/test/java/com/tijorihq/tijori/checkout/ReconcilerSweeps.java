package com.tijorihq.tijori.checkout;

import java.time.Duration;
import java.time.Instant;

/** Lets tests of other features run a reconciler sweep as of a later time (to age orders without waiting). */
public final class ReconcilerSweeps {

	private ReconcilerSweeps() {
	}

	public static Reconciler.Sweep sweepAt(Reconciler reconciler, Instant at) {
		return reconciler.sweep(at).block(Duration.ofSeconds(60));
	}

}
