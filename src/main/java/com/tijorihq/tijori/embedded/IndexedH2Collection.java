package com.tijorihq.tijori.embedded;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.AbstractSynchronizedMongoCollection;
import de.bwaldvogel.mongo.backend.ArrayFilters;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DocumentWithPosition;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;
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
class IndexedH2Collection extends AbstractSynchronizedMongoCollection<Object> {

	private static final Set<String> RANGE = Set.of("$lt", "$lte", "$gt", "$gte");

	/** The stock H2 collection's key for its data size in its meta map (1.47.0). */
	private static final String DATA_SIZE_KEY = "dataSize";

	private final MVMap<Object, StoredDocument> dataMap;

	private final MVMap<String, Object> metaMap;

	private final LongAdder fullScans;

	/** True while an update runs; guarded by the collection's monitor (every operation holds it). */
	private boolean updating;

	IndexedH2Collection(MongoDatabase database, String collectionName, CollectionOptions options,
			MVMap<Object, StoredDocument> dataMap, MVMap<String, Object> metaMap, CursorRegistry cursorRegistry,
			LongAdder fullScans) {
		super(database, collectionName, options, cursorRegistry);
		this.dataMap = dataMap;
		this.metaMap = metaMap;
		this.metaMap.putIfAbsent(DATA_SIZE_KEY, 0L);
		this.fullScans = fullScans;
	}

	// the stock H2 collection's storage (mongo-java-server 1.47.0), but for the values: StoredDocument, not Document

	/**
	 * The data size is kept from the stored documents' BSON, which is encoded anyway: the stock accounting encoded
	 * the document again for it, and an update twice (old and new), which a checkout profile showed.
	 */
	@Override
	protected boolean tracksDataSize() {
		return false;
	}

	@Override
	protected void updateDataSize(int sizeDelta) {
		synchronized (this.metaMap) {
			this.metaMap.put(DATA_SIZE_KEY, ((Number) this.metaMap.get(DATA_SIZE_KEY)).longValue() + sizeDelta);
		}
	}

	@Override
	protected int getDataSize() {
		return ((Number) this.metaMap.get(DATA_SIZE_KEY)).intValue();
	}

	@Override
	protected Object addDocumentInternal(Document document) {
		Object key = (getIdField() != null) ? Utils.getSubdocumentValue(document, getIdField()) : UUID.randomUUID();
		StoredDocument stored = StoredDocument.of(document);
		StoredDocument previous = this.dataMap.put(Missing.ofNullable(key), stored);
		if (previous != null) {
			throw new IllegalStateException("Document with key '" + key + "' already existed in " + this);
		}
		updateDataSize(stored.bson().length);
		return key;
	}

	@Override
	public int count() {
		return this.dataMap.size();
	}

	@Override
	public boolean isEmpty() {
		return this.dataMap.isEmpty();
	}

	@Override
	protected Document getDocument(Object position) {
		StoredDocument stored = this.dataMap.get(position);
		return (stored != null) ? stored.document() : null;
	}

	@Override
	protected void removeDocument(Object position) {
		StoredDocument removed = this.dataMap.remove(position);
		if (removed == null) {
			throw new NoSuchElementException("No document with key " + position);
		}
		updateDataSize(-removed.bson().length);
	}

	@Override
	protected Stream<DocumentWithPosition<Object>> streamAllDocumentsWithPosition() {
		return this.dataMap.entrySet()
			.stream()
			.map(entry -> new DocumentWithPosition<>(entry.getValue().document(), entry.getKey()));
	}

	@Override
	protected QueryResult matchDocuments(Document query, Document orderBy, int numberToSkip, int limit,
			int batchSize, Document fieldSelector) {
		Stream<Document> documents = isNaturalDescending(orderBy)
				? streamAllDocumentsWithPosition()
					.sorted((a, b) -> ValueComparator.desc().compare(a.getPosition(), b.getPosition()))
					.map(DocumentWithPosition::getDocument)
				: this.dataMap.values().stream().map(StoredDocument::document);
		return matchDocumentsFromStream(documents, query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
	}

	@Override
	protected void handleUpdate(Object position, Document oldDocument, Document newDocument) {
		StoredDocument stored = StoredDocument.of(newDocument);
		StoredDocument previous = this.dataMap.put(Missing.ofNullable(position), stored);
		updateDataSize(stored.bson().length - ((previous != null) ? previous.bson().length : 0));
	}

	@Override
	protected QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int limit, int batchSize,
			Document fieldSelector) {
		QueryResult found = candidates(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
		if (!this.updating) {
			return found;
		}
		List<Document> copies = new ArrayList<>();
		found.forEach(document -> copies.add(document.cloneDeeply()));
		return new QueryResult(copies, found.getCursorId());
	}

	/**
	 * mongo-java-server updates the document a query found in place, then stores it again. Found documents are the
	 * stored ones, and a reply already handed to the wire (a query's batch, encoded on another thread after the
	 * collection's lock is released) may still be reading them: an update in place then failed that encoding with a
	 * {@code ConcurrentModificationException} and closed the connection, failing every command on it. An update
	 * therefore works on copies (of the documents it matched, not of the collection), and a stored document is
	 * never changed once stored.
	 */
	@Override
	public synchronized Document findAndModify(Document query) {
		this.updating = true;
		try {
			return super.findAndModify(query);
		}
		finally {
			this.updating = false;
		}
	}

	@Override
	public synchronized Document updateDocuments(Document selector, Document updateQuery, ArrayFilters arrayFilters,
			boolean isMulti, boolean isUpsert, Oplog oplog) {
		this.updating = true;
		try {
			return super.updateDocuments(selector, updateQuery, arrayFilters, isMulti, isUpsert, oplog);
		}
		finally {
			this.updating = false;
		}
	}

	private QueryResult candidates(Document query, Document orderBy, int numberToSkip, int limit, int batchSize,
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
