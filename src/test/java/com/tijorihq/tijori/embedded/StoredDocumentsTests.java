package com.tijorihq.tijori.embedded;

import java.nio.file.Path;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.ArrayFilters;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.NoopOplog;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Updates never change a stored document in place. A query's reply is encoded after the collection's lock is
 * released, from the stored documents themselves; an update that changed one meanwhile failed that encoding
 * ({@code ConcurrentModificationException}, seen under the checkout benchmark) and closed the connection, failing
 * every command on it.
 */
class StoredDocumentsTests {

	@TempDir
	Path dir;

	@Test
	void aDocumentAQueryReturnedIsNotChangedByLaterUpdates() {
		DurableH2Backend backend = new DurableH2Backend(this.dir.resolve("db.mv.db").toString());
		try {
			@SuppressWarnings("unchecked")
			MongoCollection<Object> orders = (MongoCollection<Object>) backend.resolveDatabase("t")
				.createCollectionOrThrowIfExists("orders");
			orders.addDocument(new Document("_id", "ord_1").append("status", "created").append("due", "k"));
			Document read = orders.handleQuery(new Document("_id", "ord_1")).iterator().next();

			orders.updateDocuments(new Document("_id", "ord_1"),
					new Document("$set", new Document("status", "paid").append("gatewayOrderId", "order_1"))
						.append("$unset", new Document("due", "")),
					ArrayFilters.empty(), false, false, NoopOplog.get());
			orders.findAndModify(new Document("query", new Document("_id", "ord_1"))
				.append("update", new Document("$set", new Document("note", "n"))));

			assertThat(read).as("what the first query returned, as it was")
				.isEqualTo(new Document("_id", "ord_1").append("status", "created").append("due", "k"));
			assertThat(orders.handleQuery(new Document("_id", "ord_1")).iterator().next())
				.isEqualTo(new Document("_id", "ord_1").append("status", "paid").append("gatewayOrderId", "order_1")
					.append("note", "n"));
		}
		finally {
			backend.close();
		}
	}

	/** The collection's data size (collStats) follows the stored BSON through inserts, updates and deletes. */
	@Test
	void theDataSizeIsTheStoredDocumentsBson() {
		DurableH2Backend backend = new DurableH2Backend(this.dir.resolve("db.mv.db").toString());
		try {
			@SuppressWarnings("unchecked")
			MongoCollection<Object> orders = (MongoCollection<Object>) backend.resolveDatabase("t")
				.createCollectionOrThrowIfExists("orders");
			orders.addDocument(new Document("_id", "ord_1").append("status", "created"));
			orders.addDocument(new Document("_id", "ord_2").append("status", "created"));
			orders.updateDocuments(new Document("_id", "ord_1"),
					new Document("$set", new Document("status", "paid").append("gatewayOrderId", "order_1")),
					ArrayFilters.empty(), false, false, NoopOplog.get());
			orders.deleteDocuments(new Document("_id", "ord_2"), 1, NoopOplog.get());

			assertThat(orders.getStats().get("size")).isEqualTo(bsonSize(
					new Document("_id", "ord_1").append("status", "paid").append("gatewayOrderId", "order_1")));
		}
		finally {
			backend.close();
		}
	}

	private static int bsonSize(Document document) {
		ByteBuf buffer = Unpooled.buffer();
		try {
			BsonEncoder.encodeDocument(document, buffer);
			return buffer.writerIndex();
		}
		finally {
			buffer.release();
		}
	}

}
