package com.tijorihq.tijori.embedded;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import de.bwaldvogel.mongo.MongoServer;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Group commit in the embedded MongoDB, driven through the real MongoDB driver: concurrent writes share commits and
 * all survive a crash of the store, and a lone write is committed (and acknowledged) at once.
 */
class GroupCommitTests {

	private static final int WRITERS = 64;

	private static final int INSERTS_EACH = 50;

	@TempDir
	Path dataDir;

	@Test
	void concurrentWritesShareCommitsAndSurviveACrash() {
		DurableH2Backend backend = new DurableH2Backend(file());
		MongoServer server = start(backend);
		try (MongoClient client = client(server)) {
			MongoCollection<Document> things = client.getDatabase("tijori").getCollection("things");
			insert(things, "warm-up");
			long commitsBefore = backend.commits();
			long writesBefore = backend.writes();
			long started = System.nanoTime();
			long cpuBefore = processCpuNanos();

			Flux.range(0, WRITERS)
				.flatMap(writer -> Flux.range(0, INSERTS_EACH)
					.concatMap(i -> Mono.from(things.insertOne(new Document("_id", writer + "-" + i)))), WRITERS)
				.then()
				.block(Duration.ofMinutes(2));

			double seconds = (System.nanoTime() - started) / 1e9;
			double cpuMillisPerInsert = (processCpuNanos() - cpuBefore) / 1e6 / (WRITERS * INSERTS_EACH);
			long commits = backend.commits() - commitsBefore;
			long writes = backend.writes() - writesBefore;
			System.out.printf("group commit: %d inserts by %d writers in %.2f s: %d commits (%.0f/s), %.1f writes "
					+ "per commit, %.0f inserts/s, %.2f ms process CPU per insert%n", WRITERS * INSERTS_EACH, WRITERS, seconds,
					commits, commits / seconds, (double) writes / commits, WRITERS * INSERTS_EACH / seconds,
					cpuMillisPerInsert);
			assertThat(writes).as("every acknowledged insert waited for a commit")
				.isGreaterThanOrEqualTo(WRITERS * INSERTS_EACH);
			assertThat(commits).as("writes arriving together share commits").isPositive().isLessThan(writes / 2);
			assertThat(Mono.from(things.countDocuments()).block(Duration.ofSeconds(30)))
				.isEqualTo(WRITERS * INSERTS_EACH + 1L);

			// the process dies here: the store is closed without writing anything more, as under kill -9
			backend.getMvStore().closeImmediately();
		}
		finally {
			server.shutdownNow();
		}

		DurableH2Backend reopened = new DurableH2Backend(file());
		MongoServer restarted = start(reopened);
		try (MongoClient client = client(restarted)) {
			assertThat(Mono.from(client.getDatabase("tijori").getCollection("things").countDocuments())
				.block(Duration.ofSeconds(30))).as("every acknowledged insert is on disk")
				.isEqualTo(WRITERS * INSERTS_EACH + 1L);
		}
		finally {
			restarted.shutdown();
		}
	}

	@Test
	void aLoneWriteIsCommittedAtOnce() {
		DurableH2Backend backend = new DurableH2Backend(file());
		MongoServer server = start(backend);
		try (MongoClient client = client(server)) {
			MongoCollection<Document> things = client.getDatabase("tijori").getCollection("things");
			insert(things, "warm-up");
			List<Long> micros = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				long commitsBefore = backend.commits();
				long started = System.nanoTime();
				insert(things, "lone-" + i);
				micros.add(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - started));
				assertThat(backend.commits()).as("the lone write had its own commit").isGreaterThan(commitsBefore);
				assertThat(backend.getMvStore().hasUnsavedChanges()).as("acknowledged only once committed").isFalse();
			}
			micros.sort(null);
			System.out.printf("lone insert latency: median %d µs, max %d µs%n", micros.get(micros.size() / 2),
					micros.get(micros.size() - 1));
			// nothing waits for company: a lone write costs one commit, not a batching delay (generous for CI)
			assertThat(micros.get(micros.size() / 2)).isLessThan(100_000);
		}
		finally {
			server.shutdown();
		}
	}

	/** Server and client share this JVM, so this is both sides' CPU: compare it between runs, not absolutely. */
	private static long processCpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	private String file() {
		return this.dataDir.resolve("tijori.mv.db").toString();
	}

	private static MongoServer start(DurableH2Backend backend) {
		MongoServer server = new MongoServer(backend);
		server.enableOplog();
		server.bind("127.0.0.1", 0);
		return server;
	}

	private static MongoClient client(MongoServer server) {
		return MongoClients.create(MongoClientSettings.builder()
			.applyConnectionString(new ConnectionString("mongodb://127.0.0.1:" + server.getLocalAddress().getPort()
					+ "/?retryWrites=false"))
			.applyToConnectionPoolSettings(pool -> pool.maxSize(WRITERS).maxWaitTime(1, TimeUnit.MINUTES))
			.build());
	}

	private static void insert(MongoCollection<Document> things, String id) {
		Mono.from(things.insertOne(new Document("_id", id))).block(Duration.ofSeconds(30));
	}

}
