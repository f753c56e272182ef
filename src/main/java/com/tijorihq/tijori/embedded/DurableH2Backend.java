package com.tijorihq.tijori.embedded;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
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

	DurableH2Backend(String fileName) {
		super(fileName);
		this.committer = new GroupCommitter(getMvStore());
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
			MVMap<Object, Document> dataMap = store.openMap("databases." + namespace);
			MVMap<String, Object> metaMap = store.openMap("meta." + namespace);
			return new IndexedH2Collection(this, collectionName, options, dataMap, metaMap,
					DurableH2Backend.this.getCursorRegistry(), fullScans(collectionName));
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
