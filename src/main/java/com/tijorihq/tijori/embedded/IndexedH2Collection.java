package com.tijorihq.tijori.embedded;

import java.util.Map;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.bson.Document;
import org.h2.mvstore.MVMap;

/**
 * An H2 collection whose queries use a unique index whenever they pin its keys to plain values. mongo-java-server
 * 1.47 uses an index only for a query on exactly the index's keys, so every conditional write
 * ({@code {publicId: …, version: …, status: {$in: …}}}) scanned the whole collection: a profile of checkouts showed a
 * quarter of the process's CPU in those scans, growing with the number of orders. Here the index narrows the
 * candidates to the one document the pinned key names, and the full query is then matched against it, as before.
 */
class IndexedH2Collection extends H2Collection {

	IndexedH2Collection(MongoDatabase database, String collectionName, CollectionOptions options,
			MVMap<Object, Document> dataMap, MVMap<String, Object> metaMap, CursorRegistry cursorRegistry) {
		super(database, collectionName, options, dataMap, metaMap, cursorRegistry);
	}

	@Override
	protected QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int limit, int batchSize,
			Document fieldSelector) {
		if (query != null) {
			for (Index<Object> index : getIndexes()) {
				if (index.canHandle(query)) {
					break; // the library's own plan uses it
				}
				Document pinned = pinnedKeys(index, query);
				if (pinned != null && index.canHandle(pinned)) {
					return matchDocuments(query, index.getPositions(pinned), orderBy, numberToSkip, limit, batchSize,
							fieldSelector);
				}
			}
		}
		return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
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
