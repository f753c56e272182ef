package com.tijorihq.tijori.embedded;

import java.util.List;
import java.util.Map.Entry;

import de.bwaldvogel.mongo.backend.AbstractUniqueIndex;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
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

	private TypedUniqueIndex(MVMap<KeyValue, Object> map, String name, List<IndexKey> keys, boolean sparse) {
		super(name, keys, sparse);
		this.map = map;
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
