package com.tijorihq.tijori.support;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * BlockHound for the whole test JVM (installed by blockhound-junit-platform). The embedded MongoDB server runs
 * in-process only for convenience: its Netty threads stand in for a database server's own process, and its H2
 * file writes are its business, so they are not treated as Tijori's event loop. Everything else is checked,
 * with the one exception explained below.
 */
public class TijoriBlockHoundIntegration implements BlockHoundIntegration {

	@Override
	public void applyTo(BlockHound.Builder builder) {
		builder.nonBlockingThreadPredicate(current -> current.and(thread -> !isEmbeddedDatabaseThread(thread)));
		// SecureRandom.nextBytes reads /dev/urandom, which never waits once the kernel is seeded (session ids,
		// CSRF tokens and public ids all draw from it); generateSeed (/dev/random) stays forbidden.
		builder.allowBlockingCallsInside("java.security.SecureRandom", "nextBytes");
		// The MongoDB driver guards tiny critical sections (cluster clock, pool state) with its own locks, taken on
		// its Netty threads by design. Under concurrent operations BlockHound saw the park, threw inside the
		// driver's read callback and the operation never completed (30 s hangs, leaked buffers).
		for (String method : new String[] { "withLock", "withInterruptibleLock", "checkedWithLock",
				"checkedWithInterruptibleLock", "lockInterruptibly" }) {
			builder.allowBlockingCallsInside("com.mongodb.internal.Locks", method);
		}
	}

	private static boolean isEmbeddedDatabaseThread(Thread thread) {
		return thread.getName().startsWith("mongo-server-");
	}

}
