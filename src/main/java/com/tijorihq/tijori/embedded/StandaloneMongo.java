package com.tijorihq.tijori.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import de.bwaldvogel.mongo.MongoServer;

/**
 * Tijori's embedded database on its own, without Tijori: the same durable store (writes acknowledged after the
 * commit that covers them, typed unique keys, ranges served from indexes, the oplog for change streams) on a port
 * of its own. For several Tijori processes on one machine sharing one database ({@code MONGODB_URI}), and for
 * benchmarks that keep the database's CPU apart from Tijori's ({@code bench/checkout-cost.sh --external-mongo}).
 * <p>
 * {@code java -cp <Tijori's classes and libraries> com.tijorihq.tijori.embedded.StandaloneMongo <host> <port>
 * <file>}; it runs until stopped, and a SIGTERM closes the store cleanly.
 */
public final class StandaloneMongo {

	private StandaloneMongo() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length != 3) {
			System.err.println("usage: StandaloneMongo <host> <port> <data file, e.g. /var/lib/tijori/tijori.mv.db>");
			System.exit(2);
		}
		Path file = Path.of(args[2]).toAbsolutePath().normalize();
		Files.createDirectories(file.getParent());
		MongoServer server = EmbeddedMongoConfiguration.serve(EmbeddedMongoConfiguration.backend(file), args[0],
				Integer.parseInt(args[1]));
		Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown, "standalone-mongo-shutdown"));
		System.out.println("Tijori's embedded MongoDB listening on " + server.getLocalAddress() + ", data in " + file);
		new CountDownLatch(1).await();
	}

}
