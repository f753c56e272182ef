package com.tijorihq.tijori.support;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * BlockHound for the whole test JVM (installed by blockhound-junit-platform). The embedded MongoDB server runs
 * in-process only for convenience: its Netty threads stand in for a database server's own process, and its H2
 * file writes are its business, so they are not treated as Tijori's event loop. Everything else is checked,
 * with the exceptions explained below.
 */
public class TijoriBlockHoundIntegration implements BlockHoundIntegration {

	@Override
	public void applyTo(BlockHound.Builder builder) {
		builder.nonBlockingThreadPredicate(current -> current.and(thread -> !isEmbeddedDatabaseThread(thread)));
		// SecureRandom.nextBytes reads /dev/urandom, which never waits once the kernel is seeded (session ids,
		// CSRF tokens and public ids all draw from it); generateSeed (/dev/random) stays forbidden.
		builder.allowBlockingCallsInside("java.security.SecureRandom", "nextBytes");
		// The MongoDB driver guards its connection pool's bookkeeping with short ReentrantLock sections (no I/O
		// inside) and may take them on its Netty event loop; under contention the lock parks for microseconds.
		// Letting BlockHound throw inside the driver would corrupt the pool and hang every later query.
		for (String method : new String[] { "withLock", "checkedWithLock", "withInterruptibleLock",
				"checkedWithInterruptibleLock", "lockInterruptibly" }) {
			builder.allowBlockingCallsInside("com.mongodb.internal.Locks", method);
		}
		// Jackson builds each type's (de)serializer once, under a ReentrantLock since 2.17; concurrent first
		// requests of a new body type wait on it for the microseconds that takes, and never again afterwards.
		builder.allowBlockingCallsInside("com.fasterxml.jackson.databind.deser.DeserializerCache",
				"_createAndCacheValueDeserializer");
		builder.allowBlockingCallsInside("com.fasterxml.jackson.databind.ser.SerializerCache", "addAndResolveNonTypedSerializer");
		// Spring Data builds each type's mapping metadata once under a read-write lock; concurrent first uses of a
		// type (e.g. sessions and users right after a restart) wait on it once. A BlockingOperationError thrown
		// inside would leave the lock half-taken (IllegalMonitorStateException on unlock).
		builder.allowBlockingCallsInside("org.springframework.data.mapping.context.AbstractMappingContext",
				"getPersistentEntity");
		// Spring's static resource handling (only Swagger UI's webjar assets here) reads classpath jars on the
		// calling thread, as every WebFlux app serving classpath resources does; the API itself serves none.
		builder.allowBlockingCallsInside("org.springframework.web.reactive.resource.PathResourceResolver",
				"getResource");
	}

	private static boolean isEmbeddedDatabaseThread(Thread thread) {
		return thread.getName().startsWith("mongo-server-");
	}

}
