package com.tijorihq.tijori.common;

import java.time.Duration;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.mongodb.core.ReactiveMongoOperations;
import org.springframework.data.mongodb.core.index.IndexDefinition;

/**
 * Creates a collection's indexes once, without blocking: repositories chain their first operations behind the
 * returned {@code Mono}, so no write can run before the unique indexes that guard it exist. A failure is not
 * cached: the next operation tries again.
 */
public final class MongoIndexes {

	private static final Duration FOREVER = Duration.ofDays(365L * 100);

	private MongoIndexes() {
	}

	public static Mono<Void> ensure(ReactiveMongoOperations mongo, String collection, IndexDefinition... indexes) {
		return Flux.fromArray(indexes)
			.concatMap(index -> mongo.indexOps(collection).ensureIndex(index))
			.then()
			.cache(value -> FOREVER, error -> Duration.ZERO, () -> FOREVER);
	}

}
