package com.tijorihq.tijori.accounts;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.bson.Document;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoOperations;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import com.tijorihq.tijori.common.MongoIndexes;
import com.tijorihq.tijori.common.TijoriException;

/**
 * Fixed-window counters of failed logins per account and per client IP, kept in MongoDB so every replica sees
 * the same count (an in-memory rate limiter such as Resilience4j's would give an attacker N times the budget
 * across N pods). Documents expire through a TTL index.
 */
@Component
class LoginThrottle {

	private static final String COLLECTION = "login_throttle";

	private final ReactiveMongoOperations mongo;

	private final LoginThrottleProperties properties;

	private final Mono<Void> indexes;

	LoginThrottle(ReactiveMongoOperations mongo, LoginThrottleProperties properties) {
		this.mongo = mongo;
		this.properties = properties;
		this.indexes = MongoIndexes.ensure(mongo, COLLECTION,
				new Index("expireAt", org.springframework.data.domain.Sort.Direction.ASC).expire(Duration.ZERO)
					.named("ttl_expire"));
	}

	/** Errors with 429 and {@code Retry-After} while the account or the IP is over its budget. */
	Mono<Void> check(String emailKey, String ip) {
		Instant now = Instant.now();
		return this.indexes.thenMany(Flux.just(accountKey(emailKey), ipKey(ip)))
			.flatMap(key -> this.mongo.findById(key, Document.class, COLLECTION))
			.filter(doc -> doc.getDate("windowEnds").toInstant().isAfter(now))
			.filter(doc -> doc.getInteger("failures", 0) >= limitFor(doc.getString("_id")))
			.map(doc -> Duration.between(now, doc.getDate("windowEnds").toInstant()))
			.reduce((a, b) -> a.compareTo(b) >= 0 ? a : b)
			.flatMap(wait -> Mono.error(new TijoriException(HttpStatus.TOO_MANY_REQUESTS, "too_many_attempts",
					"Too many failed logins. Try again later.", List.of(), wait)));
	}

	Mono<Void> recordFailure(String emailKey, String ip) {
		return Flux.just(accountKey(emailKey), ipKey(ip)).concatMap(this::increment).then();
	}

	Mono<Void> reset(String emailKey) {
		return this.mongo.remove(Query.query(Criteria.where("_id").is(accountKey(emailKey))), COLLECTION).then();
	}

	private Mono<Document> increment(String key) {
		Date now = new Date();
		Date windowEnds = Date.from(now.toInstant().plus(this.properties.window()));
		// a window that has ended starts again from zero
		Mono<Void> restartExpired = this.mongo
			.updateFirst(Query.query(Criteria.where("_id").is(key).and("windowEnds").lte(now)),
					new Update().set("failures", 0).set("windowEnds", windowEnds).set("expireAt", windowEnds),
					COLLECTION)
			.then();
		Mono<Document> bump = this.mongo.findAndModify(Query.query(Criteria.where("_id").is(key)),
				new Update().inc("failures", 1).setOnInsert("windowEnds", windowEnds).setOnInsert("expireAt", windowEnds),
				FindAndModifyOptions.options().upsert(true).returnNew(true), Document.class, COLLECTION);
		return this.indexes.then(restartExpired).then(bump);
	}

	private int limitFor(String key) {
		return key.startsWith("acct:") ? this.properties.maxFailuresPerAccount() : this.properties.maxFailuresPerIp();
	}

	private static String accountKey(String emailKey) {
		return "acct:" + emailKey;
	}

	private static String ipKey(String ip) {
		return "ip:" + ip;
	}

}
