package com.tijorihq.tijori.chaos;

import java.nio.file.Files;
import java.nio.file.Path;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;

/**
 * The chaos run's MongoDB: mongo-java-server on an H2 file, in a JVM of its own so that killing Tijori never
 * touches the database (as with Atlas). Tijori and the sandboxes use separate databases on it. Arguments: port,
 * data directory. Runs until killed.
 */
public final class ChaosMongo {

	private ChaosMongo() {
	}

	public static void main(String[] args) throws Exception {
		int port = Integer.parseInt(args[0]);
		Path dir = Path.of(args[1]);
		Files.createDirectories(dir);
		MongoServer server = new MongoServer(new H2Backend(dir.resolve("chaos.mv.db").toString()));
		server.enableOplog();
		server.bind("127.0.0.1", port);
		System.out.println("chaos mongo listening on " + server.getLocalAddress());
		Thread.currentThread().join();
	}

}
