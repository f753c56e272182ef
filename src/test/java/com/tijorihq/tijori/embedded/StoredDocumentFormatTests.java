package com.tijorihq.tijori.embedded;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Documents are stored as BSON; a data file written by earlier versions (H2's default, JDK-serialised values)
 * still opens, its documents read, change and survive a restart next to new ones.
 */
class StoredDocumentFormatTests {

	@TempDir
	Path dir;

	@Test
	void documentsWrittenTheOldWayStillReadAndEveryTypeSurvivesTheNewWay() {
		String file = this.dir.resolve("db.mv.db").toString();
		ObjectId id = new ObjectId();
		Date at = Date.from(Instant.parse("2026-12-02T10:15:30.123Z"));
		Document old = new Document("_id", id).append("publicId", "ord_old")
			.append("amount", 25_000L)
			.append("count", 3)
			.append("at", at)
			.append("items", List.of(new Document("sku", "a").append("qty", 2)))
			.append("flag", true)
			.append("none", null);

		H2Backend stock = new H2Backend(file);
		withServer(new MongoServer(stock), orders -> block(orders.insertOne(old)));

		withServer(new MongoServer(new DurableH2Backend(file)), orders -> {
			Document read = block(orders.find(Filters.eq("publicId", "ord_old")).first());
			assertThat(read).isEqualTo(old);
			block(orders.updateOne(Filters.eq("publicId", "ord_old"), Updates.inc("amount", 1L)));
			block(orders.insertOne(new Document("publicId", "ord_new").append("amount", 7L).append("at", at)));
		});

		withServer(new MongoServer(new DurableH2Backend(file)), orders -> {
			List<Document> all = Flux.from(orders.find().sort(new Document("publicId", -1)))
				.collectList()
				.block(Duration.ofSeconds(30));
			assertThat(all).extracting(doc -> doc.getString("publicId")).containsExactly("ord_old", "ord_new");
			assertThat(all.get(0).getLong("amount")).isEqualTo(25_001L);
			assertThat(all.get(0).getInteger("count")).isEqualTo(3);
			assertThat(all.get(0).getDate("at")).isEqualTo(at);
			assertThat(all.get(0).get("items")).isEqualTo(old.get("items"));
			assertThat(all.get(0).containsKey("none")).isTrue();
			assertThat(all.get(1).getLong("amount")).isEqualTo(7L);
		});
	}

	private static void withServer(MongoServer server, java.util.function.Consumer<MongoCollection<Document>> use) {
		InetSocketAddress address = server.bind();
		try (MongoClient client = MongoClients.create("mongodb://" + address.getHostString() + ":" + address.getPort())) {
			use.accept(client.getDatabase("t").getCollection("orders"));
		}
		finally {
			server.shutdown();
		}
	}

	private static <T> T block(org.reactivestreams.Publisher<T> publisher) {
		return Mono.from(publisher).block(Duration.ofSeconds(30));
	}

}
