package com.tijorihq.tijori.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import de.bwaldvogel.mongo.MongoServer;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conditional queries that pin a unique key use that key's index, and still match the whole query: the
 * candidate set shrinks, the answers do not change.
 */
class IndexedQueriesTests {

	@TempDir
	Path dir;

	@Test
	void conditionalWritesOnAUniqueKeyMatchExactlyWhatTheWholeQuerySays() {
		DurableH2Backend backend = new DurableH2Backend(this.dir.resolve("db.mv.db").toString());
		MongoServer server = new MongoServer(backend);
		try (MongoClient client = MongoClients.create("mongodb://" + hostAndPort(server.bind()))) {
			MongoCollection<Document> orders = client.getDatabase("t").getCollection("orders");
			block(orders.createIndex(Indexes.ascending("publicId"), new IndexOptions().unique(true)));
			block(orders.createIndex(Indexes.ascending("key"), new IndexOptions().unique(true).sparse(true)));
			List<Document> docs = new ArrayList<>();
			for (int i = 0; i < 500; i++) {
				docs.add(new Document("publicId", "ord_" + i).append("version", 1L).append("status", "CREATED"));
			}
			block(orders.insertMany(docs));

			// the pinned key finds its document; the rest of the query still decides
			assertThat(block(orders.findOneAndUpdate(Filters.and(Filters.eq("publicId", "ord_7"),
					Filters.eq("version", 1L), Filters.in("status", "CREATED", "FAILED")), Updates.set("version", 2L))))
				.isNotNull();
			assertThat(block(orders.findOneAndUpdate(
					Filters.and(Filters.eq("publicId", "ord_7"), Filters.eq("version", 1L)), Updates.set("version", 3L))))
				.as("the version moved on")
				.isNull();
			assertThat(block(orders.find(Filters.and(Filters.eq("publicId", "ord_7"), Filters.eq("status", "PAID")))
				.first())).isNull();
			assertThat(block(orders.find(Filters.eq("publicId", "ord_7")).first()).getLong("version")).isEqualTo(2L);
			assertThat(block(orders.countDocuments(Filters.eq("version", 1L)))).isEqualTo(499);
			// a sparse key pinned to a value, and queries without a pinned key, behave as before
			block(orders.updateOne(Filters.eq("publicId", "ord_9"), Updates.set("key", "u:k")));
			assertThat(block(orders.find(Filters.and(Filters.eq("key", "u:k"), Filters.eq("status", "CREATED")))
				.first()).getString("publicId")).isEqualTo("ord_9");
			assertThat(block(orders.find(Filters.and(Filters.eq("key", null), Filters.eq("publicId", "ord_10")))
				.first())).isNotNull();
			assertThat(block(orders.countDocuments(Filters.in("publicId", "ord_1", "ord_2", "ord_x")))).isEqualTo(2);
		}
		finally {
			server.shutdownNow();
		}
	}

	@Test
	void aRangeOnASparseUniqueKeyReadsOnlyTheDocumentsThatCarryIt() {
		DurableH2Backend backend = new DurableH2Backend(this.dir.resolve("due.mv.db").toString());
		MongoServer server = new MongoServer(backend);
		try (MongoClient client = MongoClients.create("mongodb://" + hostAndPort(server.bind()))) {
			MongoCollection<Document> orders = client.getDatabase("t").getCollection("orders");
			block(orders.createIndex(Indexes.ascending("due"), new IndexOptions().unique(true).sparse(true)));
			List<Document> docs = new ArrayList<>();
			for (int i = 0; i < 300; i++) {
				Document doc = new Document("publicId", "ord_" + i).append("status", (i % 2 == 0) ? "A" : "B");
				if (i % 10 == 0) {
					doc.append("due", String.format("%013d:ord_%d", 1_000L + i, i));
				}
				docs.add(doc);
			}
			block(orders.insertMany(docs));
			io.micrometer.core.instrument.simple.SimpleMeterRegistry meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
			backend.bindMeters(meters);

			List<String> due = reactor.core.publisher.Flux
				.from(orders.find(Filters.lt("due", String.format("%013d", 1_151L))).sort(Indexes.ascending("due")).limit(20))
				.map(doc -> doc.getString("publicId"))
				.collectList()
				.block(Duration.ofSeconds(30));
			assertThat(due).containsExactly("ord_0", "ord_10", "ord_20", "ord_30", "ord_40", "ord_50", "ord_60",
					"ord_70", "ord_80", "ord_90", "ord_100", "ord_110", "ord_120", "ord_130", "ord_140", "ord_150");
			// the rest of the query still decides, and a limit still limits
			assertThat(reactor.core.publisher.Flux
				.from(orders.find(Filters.and(Filters.gte("due", String.format("%013d", 1_100L)),
						Filters.eq("status", "A"))))
				.count()
				.block(Duration.ofSeconds(30))).isEqualTo(20);
			assertThat(meters.find("tijori.embedded.full.scans").tag("collection", "orders").functionCounter().count())
				.as("no query above read the whole collection")
				.isZero();
			reactor.core.publisher.Flux.from(orders.find(Filters.eq("status", "A"))).blockLast(Duration.ofSeconds(30));
			assertThat(meters.find("tijori.embedded.full.scans").tag("collection", "orders").functionCounter().count())
				.isEqualTo(1);
		}
		finally {
			server.shutdownNow();
		}
	}

	private static <T> T block(org.reactivestreams.Publisher<T> publisher) {
		return Mono.from(publisher).block(Duration.ofSeconds(30));
	}

	private static String hostAndPort(java.net.InetSocketAddress address) {
		return address.getHostString() + ":" + address.getPort();
	}

}
