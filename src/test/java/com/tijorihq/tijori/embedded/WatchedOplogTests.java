package com.tijorihq.tijori.embedded;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded oplog records the collections change streams watch, and no write to any other. */
class WatchedOplogTests {

	@TempDir
	Path dir;

	@Test
	void onlyWatchedCollectionsAreRecorded() {
		MongoServer server = new MongoServer(
				new DurableH2Backend(this.dir.resolve("db.mv.db").toString(), Set.of("order_events")));
		server.enableOplog();
		try (MongoClient client = MongoClients.create("mongodb://" + hostAndPort(server.bind()))) {
			MongoDatabase db = client.getDatabase("t");
			block(db.getCollection("orders").insertOne(new Document("_id", "o1").append("status", "created")));
			block(db.getCollection("orders").updateOne(Filters.eq("_id", "o1"), Updates.set("status", "paid")));
			block(db.getCollection("order_events").insertOne(new Document("orderId", "o1").append("version", 2)));
			block(db.getCollection("order_events").insertOne(new Document("orderId", "o1").append("version", 3)));
			assertThat(block(client.getDatabase("local").getCollection("oplog.rs").countDocuments(Filters.eq("ns",
					"t.order_events")))).isEqualTo(2);
			assertThat(block(client.getDatabase("local").getCollection("oplog.rs").countDocuments(Filters.eq("ns",
					"t.orders")))).isZero();
		}
		finally {
			server.shutdownNow();
		}
	}

	private static <T> T block(org.reactivestreams.Publisher<T> publisher) {
		return Mono.from(publisher).block(Duration.ofSeconds(30));
	}

	private static String hostAndPort(InetSocketAddress address) {
		return address.getHostString() + ":" + address.getPort();
	}

}
