package com.tijorihq.tijori.embedded;

import java.util.List;
import java.util.Map.Entry;
import java.util.Objects;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.AbstractUniqueIndex;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.KeyConstraintError;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * A unique index stored in an H2 map typed by {@link StoredKeys}: the stock H2 index, but for its map's types.
 * Indexes written by earlier versions (in a map of the default type, ordered by serialised bytes) are copied into
 * a typed map once, when first opened.
 */
final class TypedUniqueIndex extends AbstractUniqueIndex<Object> {

	/** Appended to the stock map name: a map's order is fixed by its type, so the typed one is a new map. */
	private static final String TYPED = "~typed";

	private static final String COPYING = "~copying";

	private final MVMap<KeyValue, Object> map;

	/** The key fields when none is a path into a subdocument (a document's values are then its fields); or null. */
	private final List<String> plainKeys;

	private TypedUniqueIndex(MVMap<KeyValue, Object> map, String name, List<IndexKey> keys, boolean sparse) {
		super(name, keys, sparse);
		this.map = map;
		List<String> fields = keys.stream().map(IndexKey::getKey).toList();
		this.plainKeys = fields.stream().noneMatch(field -> field.contains(".")) ? fields : null;
	}

	/**
	 * Opens the index whose stock map is {@code stockName}. A copy goes to a scratch map first and is renamed when
	 * complete, so a crash part-way leaves the stock map to copy again at the next start, never half an index.
	 */
	static TypedUniqueIndex open(MVStore store, String stockName, String name, List<IndexKey> keys, boolean sparse) {
		String typedName = stockName + TYPED;
		if (!store.hasMap(typedName) && store.hasMap(stockName)) {
			String scratch = stockName + COPYING;
			if (store.hasMap(scratch)) {
				store.removeMap(scratch);
			}
			MVMap<KeyValue, Object> copy = openTyped(store, scratch);
			MVMap<KeyValue, Object> stock = store.openMap(stockName);
			stock.forEach(copy::put);
			store.renameMap(copy, typedName);
			store.removeMap(stock);
		}
		else if (store.hasMap(stockName)) {
			// the copy was renamed, then the process stopped before the stock map was removed
			store.removeMap(stockName);
		}
		return new TypedUniqueIndex(openTyped(store, typedName), name, keys, sparse);
	}

	/** Removes the typed map of the index whose stock map is {@code stockName} (the stock one is the caller's). */
	static void drop(MVStore store, String stockName) {
		store.removeMap(stockName + TYPED);
	}

	private static MVMap<KeyValue, Object> openTyped(MVStore store, String mapName) {
		return store.openMap(mapName, new MVMap.Builder<KeyValue, Object>().keyType(StoredKeys.indexKeys())
			.valueType(StoredKeys.positions()));
	}

	/**
	 * An update asks every unique index where its document is; a sparse index cannot hold a document that has none
	 * of its fields (the library would still build a key and look it up).
	 */
	@Override
	public Object getPosition(Document document) {
		if (isSparse() && this.plainKeys != null && hasNone(document)) {
			return null;
		}
		return super.getPosition(document);
	}

	private boolean hasNone(Document document) {
		for (String field : this.plainKeys) {
			if (document.containsKey(field)) {
				return false;
			}
		}
		return true;
	}

	/**
	 * An update that leaves this index's fields as they were changes nothing here (the library's own check builds
	 * both documents' keys first).
	 */
	@Override
	public synchronized void checkUpdate(Document oldDocument, Document newDocument,
			MongoCollection<Object> collection) {
		if (!sameKeys(oldDocument, newDocument)) {
			super.checkUpdate(oldDocument, newDocument, collection);
		}
	}

	@Override
	public void updateInPlace(Document oldDocument, Document newDocument, Object position,
			MongoCollection<Object> collection) throws KeyConstraintError {
		if (!sameKeys(oldDocument, newDocument)) {
			super.updateInPlace(oldDocument, newDocument, position, collection);
		}
	}

	/** True when both documents have the same values (by equals, so 1 and 1L differ) for this index's fields. */
	private boolean sameKeys(Document a, Document b) {
		if (this.plainKeys == null) {
			return false;
		}
		for (String field : this.plainKeys) {
			if (a.containsKey(field) != b.containsKey(field) || !Objects.equals(a.get(field), b.get(field))) {
				return false;
			}
		}
		return true;
	}

	@Override
	protected Object removeDocument(KeyValue keyValue) {
		return this.map.remove(keyValue);
	}

	@Override
	protected boolean putKeyPosition(KeyValue keyValue, Object position) {
		return this.map.putIfAbsent(keyValue, Missing.ofNullable(position)) == null;
	}

	@Override
	protected Iterable<Entry<KeyValue, Object>> getIterable() {
		return this.map.entrySet();
	}

	@Override
	protected Object getPosition(KeyValue keyValue) {
		return this.map.get(keyValue);
	}

	@Override
	public long getCount() {
		return this.map.sizeAsLong();
	}

	@Override
	public boolean isEmpty() {
		return this.map.isEmpty();
	}

	@Override
	public long getDataSize() {
		return getCount();
	}

}
