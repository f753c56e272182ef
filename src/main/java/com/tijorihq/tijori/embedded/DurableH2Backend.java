package com.tijorihq.tijori.embedded;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.Cursor;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.aggregation.Aggregation;
import de.bwaldvogel.mongo.oplog.Oplog;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * H2 backend that acknowledges a write only once the MVStore has committed it. The stock backend commits lazily
 * (about once a second), so a hard stop loses writes the client already saw acknowledged; sessions and payments
 * must not. Committing after every write kept them safe but cost one commit per write, which dominated the
 * process's CPU under load; writes now share commits ({@link GroupCommitter}) and their replies wait for them
 * without holding a thread ({@link CommitGate}).
 * <p>
 * A reply waits when, after its command, the store has unsaved changes or its version moved while the command ran
 * (a store began meanwhile and may not hold the command's changes). Such a reply may belong to a read that merely
 * ran alongside writes; it then waits for the same shared commit, so it never reports data a hard stop could undo.
 */
class DurableH2Backend extends H2Backend {

	private static final String GATE = "tijori-commit-gate";

	private final GroupCommitter committer;

	/**
	 * Per collection: queries no index could serve. Not initialised in its declaration: the superclass
	 * constructor already opens the collections of an existing data file, before a field initialiser would run
	 * (and one would then replace the map they registered in).
	 */
	private Map<String, LongAdder> fullScans;

	private volatile MeterRegistry meters;

	/**
	 * The H2 page cache, in MB. H2's default (16) held less than a benchmark's few thousand orders: pages were read
	 * back from the file and deserialised on every miss.
	 */
	static final int CACHE_MB = 64;

	/** Collections whose changes the oplog records (what change streams can watch); null for all. */
	private final Set<String> watched;

	DurableH2Backend(String fileName) {
		this(fileName, null);
	}

	/**
	 * @param watched the collections change streams may watch: the oplog records no other, since every entry is
	 * one more document written and committed with the change it records; null for all
	 */
	DurableH2Backend(String fileName, Set<String> watched) {
		super(new MVStore.Builder().fileName(fileName).cacheSize(CACHE_MB).open());
		this.watched = watched;
		this.committer = new GroupCommitter(getMvStore());
	}

	@Override
	protected Oplog createOplog() {
		Oplog all = super.createOplog();
		return (this.watched == null) ? all : new WatchedOnly(all, this.watched);
	}

	/** Every wire command (OP_MSG and the legacy {@code $cmd} queries alike) reaches the backend here. */
	@Override
	public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
		long versionBefore = getMvStore().getCurrentVersion();
		try {
			return super.handleCommand(channel, databaseName, command, query);
		}
		finally {
			if (getMvStore().hasUnsavedChanges() || getMvStore().getCurrentVersion() != versionBefore) {
				gate(channel).holdNextReply(this.committer.awaitCommit());
			}
		}
	}

	/** Databases whose collections let a unique index narrow conditional queries ({@link IndexedH2Collection}). */
	@Override
	protected MongoDatabase openOrCreateDatabase(String databaseName) {
		return new IndexedH2Database(databaseName);
	}

	/**
	 * The stock H2 database but for the collections it opens. An inner class: the superclass constructor opens the
	 * existing collections through {@link #openOrCreateCollection}, before any field of a subclass would be set,
	 * while the backend's store and cursor registry are already there.
	 */
	private final class IndexedH2Database extends H2Database {

		IndexedH2Database(String databaseName) {
			super(databaseName, DurableH2Backend.this.getMvStore(), DurableH2Backend.this.getCursorRegistry());
		}

		@Override
		protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
			// the stock H2Database's map names (1.47.0), so existing data files open unchanged
			String namespace = getFullCollectionNamespace(collectionName);
			MVStore store = DurableH2Backend.this.getMvStore();
			MVMap<Object, StoredDocument> dataMap = store.openMap("databases." + namespace,
					new MVMap.Builder<Object, StoredDocument>().keyType(StoredKeys.positions())
						.valueType(StoredDocument.type()));
			MVMap<String, Object> metaMap = store.openMap("meta." + namespace);
			return new IndexedH2Collection(this, collectionName, options, dataMap, metaMap,
					DurableH2Backend.this.getCursorRegistry(), fullScans(collectionName));
		}

		@Override
		protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys,
				boolean sparse) {
			return TypedUniqueIndex.open(DurableH2Backend.this.getMvStore(), stockIndexMap(collectionName, indexName),
					indexName, keys, sparse);
		}

		@Override
		protected void dropIndex(MongoCollection<Object> collection, String indexName) {
			super.dropIndex(collection, indexName);
			TypedUniqueIndex.drop(DurableH2Backend.this.getMvStore(),
					stockIndexMap(collection.getCollectionName(), indexName));
		}

		/** The stock H2Database's name for an index's map (1.47.0). */
		private String stockIndexMap(String collectionName, String indexName) {
			return getFullCollectionNamespace(collectionName) + "._index_" + indexName;
		}

	}

	@Override
	public void close() {
		// the server has shut its event loops down by now: no command can join a batch any more
		this.committer.stop();
		super.close();
	}

	long commits() {
		return this.committer.commits();
	}

	/**
	 * Counts, per collection, the queries no index could serve (each reads every document of its collection), as
	 * {@code tijori.embedded.full.scans{collection}}.
	 */
	synchronized void bindMeters(MeterRegistry registry) {
		this.meters = registry;
		if (this.fullScans == null) {
			this.fullScans = new ConcurrentHashMap<>();
		}
		this.fullScans.forEach((collection, scans) -> register(registry, collection, scans));
	}

	private synchronized LongAdder fullScans(String collection) {
		if (this.fullScans == null) {
			this.fullScans = new ConcurrentHashMap<>();
		}
		return this.fullScans.computeIfAbsent(collection, name -> {
			LongAdder scans = new LongAdder();
			MeterRegistry registry = this.meters;
			if (registry != null) {
				register(registry, name, scans);
			}
			return scans;
		});
	}

	private static void register(MeterRegistry registry, String collection, LongAdder scans) {
		FunctionCounter.builder("tijori.embedded.full.scans", scans, LongAdder::sum)
			.tag("collection", collection)
			.description("Embedded MongoDB queries no index could serve (each reads its whole collection)")
			.register(registry);
	}

	long writes() {
		return this.committer.waiters();
	}

	/** The oplog, for the watched collections only. */
	private record WatchedOnly(Oplog oplog, Set<String> collections) implements Oplog {

		private boolean watched(String namespace) {
			int dot = namespace.indexOf('.');
			return this.collections.contains((dot < 0) ? namespace : namespace.substring(dot + 1));
		}

		@Override
		public void handleInsert(String namespace, List<Document> documents) {
			if (watched(namespace)) {
				this.oplog.handleInsert(namespace, documents);
			}
		}

		@Override
		public void handleUpdate(String namespace, Document selector, Document query, List<Object> modifiedIds) {
			if (watched(namespace)) {
				this.oplog.handleUpdate(namespace, selector, query, modifiedIds);
			}
		}

		@Override
		public void handleDelete(String namespace, Document query, List<Object> deletedIds) {
			if (watched(namespace)) {
				this.oplog.handleDelete(namespace, query, deletedIds);
			}
		}

		@Override
		public void handleDropCollection(String namespace) {
			if (watched(namespace)) {
				this.oplog.handleDropCollection(namespace);
			}
		}

		@Override
		public Cursor createCursor(Document changeStreamDocument, String namespace, Aggregation aggregation) {
			return this.oplog.createCursor(changeStreamDocument, namespace, aggregation);
		}

	}

	private static CommitGate gate(Channel channel) {
		ChannelPipeline pipeline = channel.pipeline();
		CommitGate gate = (CommitGate) pipeline.get(GATE);
		if (gate == null) {
			// last in the pipeline, so the first outbound handler a reply meets
			gate = new CommitGate();
			pipeline.addLast(GATE, gate);
		}
		return gate;
	}

}
