package com.tijorihq.tijori.embedded;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.bson.Document;
import org.h2.mvstore.MVMap;

/**
 * An H2 collection whose queries use a unique index whenever they pin its keys to plain values. mongo-java-server
 * 1.47 uses an index only for a query on exactly the index's keys, so every conditional write
 * ({@code {publicId: …, version: …, status: {$in: …}}}) scanned the whole collection: a profile of checkouts showed a
 * quarter of the process's CPU in those scans, growing with the number of orders. Here the index narrows the
 * candidates to the one document the pinned key names, and the full query is then matched against it, as before.
 * <p>
 * A range on the single key of a sparse unique index (a due time such as {@code reconcileDue < "…"}) reads that
 * index's entries, which exist only for the documents that carry the key: work that is due is found in time
 * proportional to the work outstanding, not to the collection. Every query no index serves is counted
 * ({@code fullScans}), so a test can prove a periodic job never scans a whole collection.
 */
class IndexedH2Collection extends H2Collection {

	private static final Set<String> RANGE = Set.of("$lt", "$lte", "$gt", "$gte");

	private final LongAdder fullScans;

	IndexedH2Collection(MongoDatabase database, String collectionName, CollectionOptions options,
			MVMap<Object, Document> dataMap, MVMap<String, Object> metaMap, CursorRegistry cursorRegistry,
			LongAdder fullScans) {
		super(database, collectionName, options, dataMap, metaMap, cursorRegistry);
		this.fullScans = fullScans;
	}

	@Override
	protected QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int limit, int batchSize,
			Document fieldSelector) {
		if (query != null && !getCollectionName().startsWith("system.")) {
			Document conditions = flattened(query);
			for (Index<Object> index : getIndexes()) {
				if (index.canHandle(query)) {
					break; // the library's own plan uses it
				}
				Document pinned = pinnedKeys(index, conditions);
				if (pinned == null) {
					pinned = everyEntry(index, conditions);
				}
				if (pinned != null && index.canHandle(pinned)) {
					return matchDocuments(query, index.getPositions(pinned), orderBy, numberToSkip, limit, batchSize,
							fieldSelector);
				}
			}
			if (!isEmpty() && getIndexes().stream().noneMatch(index -> index.canHandle(query))) {
				this.fullScans.increment();
			}
		}
		return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
	}

	/**
	 * The query's conditions on fields, with a top-level {@code $and} of single-field conditions merged in (how
	 * drivers write {@code and(…)}): only to choose candidates; the whole query still decides.
	 */
	private static Document flattened(Document query) {
		if (!(query.get("$and") instanceof Iterable<?> parts)) {
			return query;
		}
		Document merged = new Document();
		query.forEach((key, value) -> {
			if (!key.equals("$and")) {
				merged.put(key, value);
			}
		});
		for (Object part : parts) {
			if (part instanceof Document condition) {
				condition.forEach((key, value) -> {
					if (!key.startsWith("$") && !merged.containsKey(key)) {
						merged.put(key, value);
					}
				});
			}
		}
		return merged;
	}

	/**
	 * For a range on the key of a sparse, single-key unique index: a pattern that matches every string entry of
	 * that index (the library's own regular-expression lookup walks the index's entries, not the documents).
	 * Null for any other query. The keys such a range is used on are strings (due keys), so no entry is missed.
	 */
	private static Document everyEntry(Index<Object> index, Document query) {
		if (index.getKeys().size() != 1 || !Boolean.TRUE.equals(index.toIndexDescription().get("sparse"))) {
			return null;
		}
		String key = index.getKeys().get(0).getKey();
		if (!(query.get(key) instanceof Document range) || range.isEmpty()
				|| !range.keySet().stream().allMatch(RANGE::contains)
				|| !range.values().stream().allMatch(String.class::isInstance)) {
			return null;
		}
		return new Document(key, new BsonRegularExpression("", ""));
	}

	/** The index's keys as the query pins them to plain, non-null values; null when it does not pin them all. */
	private static Document pinnedKeys(Index<Object> index, Document query) {
		Document pinned = new Document();
		for (IndexKey key : index.getKeys()) {
			Object value = query.get(key.getKey());
			if (value == null || value instanceof Missing || value instanceof Document || value instanceof Map
					|| value instanceof Iterable) {
				return null;
			}
			pinned.put(key.getKey(), value);
		}
		return pinned;
	}

}
