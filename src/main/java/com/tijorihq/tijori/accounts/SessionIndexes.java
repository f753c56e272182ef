package com.tijorihq.tijori.accounts;

import java.time.Duration;

import reactor.core.publisher.Mono;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoOperations;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.stereotype.Component;

import com.tijorihq.tijori.common.StartupTask;

/**
 * MongoDB deletes sessions once past their {@code expireAt}; until it does, every read checks the expiry itself
 * (and the embedded server, which ignores TTL indexes, relies on that alone).
 */
@Component
class SessionIndexes implements StartupTask {

	private final ReactiveMongoOperations mongo;

	SessionIndexes(ReactiveMongoOperations mongo) {
		this.mongo = mongo;
	}

	@Override
	public String name() {
		return "session expiry index";
	}

	@Override
	public Mono<Void> run() {
		return this.mongo.indexOps(SessionConfiguration.COLLECTION)
			.ensureIndex(new Index("expireAt", Sort.Direction.ASC).expire(Duration.ZERO).named("ttl_expire"))
			.then();
	}

}
