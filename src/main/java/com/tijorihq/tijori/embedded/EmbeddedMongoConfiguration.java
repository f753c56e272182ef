package com.tijorihq.tijori.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import com.mongodb.ConnectionString;
import de.bwaldvogel.mongo.MongoServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.mongo.MongoConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Starts mongo-java-server on an H2 file when {@code MONGODB_URI} is unset, and points Boot's MongoDB client at
 * it by providing the {@link MongoConnectionDetails}. The oplog is on so change streams work, for the one
 * collection anything watches (every oplog entry is one more write); there are no
 * transactions, which is why every state change in Tijori is a single-document conditional write.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedMongoConfiguration.NoMongoUri.class)
class EmbeddedMongoConfiguration {

	private static final Logger log = LoggerFactory.getLogger(EmbeddedMongoConfiguration.class);

	/** Closed by the server's shutdown, after its event loops have stopped, hence no destroy method of its own. */
	@Bean(destroyMethod = "")
	DurableH2Backend embeddedMongoBackend(EmbeddedMongoProperties properties) {
		Path dir = properties.dataDir().toAbsolutePath().normalize();
		try {
			Files.createDirectories(dir);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create TIJORI_DATA_DIR " + dir, ex);
		}
		return backend(dir.resolve("tijori.mv.db"));
	}

	/** Tijori's store in {@code file} (also run on its own by {@link StandaloneMongo}). */
	static DurableH2Backend backend(Path file) {
		// the one collection a change stream is opened on (the events feature's tail)
		return new DurableH2Backend(file.toString(), Set.of("order_events"));
	}

	/** {@code backend} served on {@code host:port}, its oplog on so that change streams work. */
	static MongoServer serve(DurableH2Backend backend, String host, int port) {
		MongoServer server = new MongoServer(backend);
		server.enableOplog();
		server.bind(host, port);
		return server;
	}

	@Bean(destroyMethod = "shutdown")
	MongoServer embeddedMongoServer(DurableH2Backend embeddedMongoBackend, EmbeddedMongoProperties properties) {
		MongoServer server = serve(embeddedMongoBackend, "127.0.0.1", properties.port());
		log.info("MongoDB mode: EMBEDDED (mongo-java-server, {}) listening on {}. Set MONGODB_URI to use a "
				+ "real MongoDB such as Atlas.", embeddedMongoBackend, server.getLocalAddress());
		return server;
	}

	/** Writes per commit is {@code writes / commits}: how well group commit is grouping under the current load. */
	@Bean
	MeterBinder embeddedMongoCommitMeters(DurableH2Backend embeddedMongoBackend) {
		return registry -> {
			FunctionCounter.builder("tijori.embedded.commits", embeddedMongoBackend, DurableH2Backend::commits)
				.description("MVStore commits made for acknowledged writes of the embedded MongoDB")
				.register(registry);
			FunctionCounter.builder("tijori.embedded.writes", embeddedMongoBackend, DurableH2Backend::writes)
				.description("Embedded MongoDB replies that waited for a commit (writes, and commands that ran "
						+ "while writes were unsaved)")
				.register(registry);
			embeddedMongoBackend.bindMeters(registry);
		};
	}

	@Bean
	MongoConnectionDetails embeddedMongoConnectionDetails(MongoServer embeddedMongoServer) {
		InetSocketAddress address = embeddedMongoServer.getLocalAddress();
		ConnectionString connection = new ConnectionString(
				"mongodb://127.0.0.1:" + address.getPort() + "/tijori?retryWrites=false");
		return () -> connection;
	}

	static class NoMongoUri implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			// never in prod: there the missing URI is an error (MongoModeConfiguration), not a reason to go embedded
			return !MongoModeConfiguration.hasUri(context.getEnvironment())
					&& !context.getEnvironment().matchesProfiles("prod");
		}

	}

}
