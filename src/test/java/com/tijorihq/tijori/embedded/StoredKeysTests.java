package com.tijorihq.tijori.embedded;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.Consumer;

import com.mongodb.MongoWriteException;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;
import org.h2.mvstore.type.ObjectDataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The embedded store's typed keys: indexes keep MongoDB's uniqueness for every kind of value, and a data file
 * written by the stock H2 backend (earlier versions of Tijori) opens with its documents and indexes intact.
 */
class StoredKeysTests {

	@TempDir
	Path dir;

	@Test
	void aDataFileWrittenByTheStockBackendOpensWithItsIndexesIntact() {
		String file = this.dir.resolve("old.mv.db").toString();
		ObjectId first = new ObjectId();
		with(new H2Backend(file), orders -> {
			block(orders.createIndex(Indexes.ascending("publicId"), new IndexOptions().unique(true)));
			block(orders.insertOne(new Document("_id", first).append("publicId", "ord_1").append("n", 1)));
			for (int i = 2; i <= 50; i++) {
				block(orders.insertOne(new Document("publicId", "ord_" + i).append("n", i)));
			}
		});
		// twice: the first open copies the stock indexes into typed ones, the second opens those
		for (int open = 0; open < 2; open++) {
			with(new DurableH2Backend(file), orders -> {
				assertThat(block(orders.find(Filters.eq("publicId", "ord_17")).first()).getInteger("n")).isEqualTo(17);
				assertThat(block(orders.find(Filters.eq("_id", first)).first()).getString("publicId"))
					.isEqualTo("ord_1");
				assertThatThrownBy(() -> block(orders.insertOne(new Document("publicId", "ord_3"))))
					.isInstanceOf(MongoWriteException.class)
					.hasMessageContaining("duplicate key");
				assertThatThrownBy(() -> block(orders.insertOne(new Document("_id", first))))
					.isInstanceOf(MongoWriteException.class)
					.hasMessageContaining("duplicate key");
			});
		}
		with(new DurableH2Backend(file), orders -> {
			block(orders.insertOne(new Document("publicId", "ord_51").append("n", 51)));
			assertThat(block(orders.countDocuments())).isEqualTo(51);
		});
	}

	@Test
	void uniqueKeysOfEveryKindAreFoundAndKeptUnique() {
		Instant at = Instant.parse("2026-12-03T06:00:00.123Z");
		ObjectId id = new ObjectId();
		with(new DurableH2Backend(this.dir.resolve("kinds.mv.db").toString()), docs -> {
			block(docs.createIndex(Indexes.ascending("k"), new IndexOptions().unique(true).sparse(true)));
			block(docs.createIndex(Indexes.ascending("a", "b"), new IndexOptions().unique(true).sparse(true)));
			Object[] keys = { "text", 7L, 2.5, id, Date.from(at), true, new Document("x", 1) };
			for (Object key : keys) {
				block(docs.insertOne(new Document("k", key)));
			}
			for (Object key : keys) {
				assertThat(block(docs.find(Filters.eq("k", key)).first())).as("found by %s", key).isNotNull();
				assertThatThrownBy(() -> block(docs.insertOne(new Document("k", key)))).as("a second %s", key)
					.isInstanceOf(MongoWriteException.class);
			}
			// numbers are one key however the client typed them, as in MongoDB
			assertThatThrownBy(() -> block(docs.insertOne(new Document("k", 7)))).isInstanceOf(MongoWriteException.class);
			block(docs.insertOne(new Document("a", "x").append("b", 1L)));
			block(docs.insertOne(new Document("a", "x").append("b", 2L)));
			assertThatThrownBy(() -> block(docs.insertOne(new Document("a", "x").append("b", 1L))))
				.isInstanceOf(MongoWriteException.class);
			assertThat(Flux.from(docs.find(Filters.eq("a", "x")).sort(Sorts.ascending("b")))
				.map(doc -> doc.getLong("b"))
				.collectList()
				.block(Duration.ofSeconds(30))).containsExactly(1L, 2L);
		});
	}

	/**
	 * Updates keep unique sparse indexes exact, through the shortcuts for updates that leave an index's fields alone
	 * and for documents without them: a key moves with its field, is freed when the field goes, and stays unique.
	 */
	@Test
	void updatesMoveFreeAndGuardUniqueKeys() {
		with(new DurableH2Backend(this.dir.resolve("updates.mv.db").toString()), docs -> {
			block(docs.createIndex(Indexes.ascending("due"), new IndexOptions().unique(true).sparse(true)));
			block(docs.insertOne(new Document("_id", "a").append("due", "1:a").append("n", 1)));
			block(docs.insertOne(new Document("_id", "b").append("n", 1)));
			// neither touches the index's field: the documents change, the keys stay
			block(docs.updateOne(Filters.eq("_id", "a"), new Document("$inc", new Document("n", 1))));
			block(docs.updateOne(Filters.eq("_id", "b"), new Document("$inc", new Document("n", 1))));
			assertThat(block(docs.find(Filters.eq("due", "1:a")).first()).getInteger("n")).isEqualTo(2);
			assertThatThrownBy(() -> block(docs.updateOne(Filters.eq("_id", "b"),
					new Document("$set", new Document("due", "1:a")))))
				.isInstanceOf(MongoWriteException.class);
			// the key moves with its field, and the old one is free again
			block(docs.updateOne(Filters.eq("_id", "a"), new Document("$set", new Document("due", "2:a"))));
			assertThat(block(docs.find(Filters.eq("due", "2:a")).first()).getString("_id")).isEqualTo("a");
			assertThat(block(docs.find(Filters.eq("due", "1:a")).first())).isNull();
			block(docs.updateOne(Filters.eq("_id", "b"), new Document("$set", new Document("due", "1:a"))));
			// removing the field frees its key
			block(docs.updateOne(Filters.eq("_id", "a"), new Document("$unset", new Document("due", ""))));
			block(docs.insertOne(new Document("_id", "c").append("due", "2:a")));
			assertThat(Flux.from(docs.find(Filters.gte("due", "")).sort(Sorts.ascending("due")))
				.map(doc -> doc.getString("_id"))
				.collectList()
				.block(Duration.ofSeconds(30))).containsExactly("b", "c");
		});
	}

	/** Strings are written as UTF-8 now; those written before (H2's char form, or the default type's) still read. */
	@Test
	void stringsRoundTripAndStringsOfTheEarlierFormsStillRead() {
		BasicDataType<KeyValue> keys = StoredKeys.indexKeys();
		BasicDataType<Object> positions = StoredKeys.positions();
		for (String text : List.of("", "ord_8fKq2", "1764770000000:ord_x", "caf\u00e9 \u20b9 \ud83d\ude00")) {
			KeyValue key = new KeyValue(List.of(text, 42L));
			assertThat(keys.read(written(buffer -> keys.write(buffer, key)))).isEqualTo(key);
			assertThat(positions.read(written(buffer -> positions.write(buffer, text)))).isEqualTo(text);
			// the earlier forms: the tagged char form in index keys, the default type's form in positions
			ByteBuffer earlierKey = written(buffer -> buffer.putVarInt(1)
				.put((byte) 0xC2)
				.putVarInt(text.length())
				.putStringData(text, text.length()));
			assertThat(keys.read(earlierKey)).isEqualTo(new KeyValue(List.of(text)));
			ObjectDataType stock = new ObjectDataType();
			assertThat(positions.read(written(buffer -> stock.write(buffer, text)))).isEqualTo(text);
		}
	}

	/** Index keys order as MongoDB orders their values, with the fast path for strings and without it. */
	@Test
	void indexKeysOrderAsTheLibraryOrdersTheirValues() {
		BasicDataType<KeyValue> keys = StoredKeys.indexKeys();
		List<Object> values = List.of("", "a", "b", "ab", "\u00e9", "\ud83d\ude00", "Z", 1L, 2, 2.5, -3L, true,
				new de.bwaldvogel.mongo.bson.ObjectId());
		for (Object x : values) {
			for (Object y : values) {
				assertThat(Integer.signum(keys.compare(new KeyValue(List.of(x)), new KeyValue(List.of(y)))))
					.as("%s vs %s", x, y)
					.isEqualTo(Integer.signum(ValueComparator.asc().compare(x, y)));
			}
		}
	}

	private static ByteBuffer written(Consumer<WriteBuffer> write) {
		WriteBuffer buffer = new WriteBuffer();
		write.accept(buffer);
		return buffer.getBuffer().flip();
	}

	private static void with(MongoBackend backend, Consumer<MongoCollection<Document>> use) {
		MongoServer server = new MongoServer(backend);
		try (MongoClient client = MongoClients.create("mongodb://" + hostAndPort(server.bind()))) {
			use.accept(client.getDatabase("t").getCollection("orders"));
		}
		finally {
			server.shutdown();
		}
	}

	private static <T> T block(org.reactivestreams.Publisher<T> publisher) {
		return Mono.from(publisher).block(Duration.ofSeconds(30));
	}

	private static String hostAndPort(InetSocketAddress address) {
		return address.getHostString() + ":" + address.getPort();
	}

}
