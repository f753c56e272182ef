package com.tijorihq.tijori.accounts;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.bson.Document;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import org.springframework.dao.DuplicateKeyException;
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
 * Fixed-window counters of login attempts per account and per client IP, kept in MongoDB so every replica sees
 * the same count (an in-memory rate limiter such as Resilience4j's would give an attacker N times the budget
 * across N pods). An attempt is counted before its password is checked and given back when it succeeds, so the
 * counters hold failed and still-running attempts. Documents expire through a TTL index.
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

	/**
	 * Counts this attempt against the account and then the client IP, each with one atomic increment, before the
	 * password is hashed: of any number of parallel attempts at most the budget gets evaluated, the rest are
	 * refused with 429 and {@code Retry-After}. An attempt refused for its account uses none of the IP's budget.
	 */
	Mono<Void> admit(String emailKey, String ip) {
		return this.indexes.thenMany(Flux.just(accountKey(emailKey), ipKey(ip)))
			.concatMap(key -> increment(key).flatMap(doc -> overBudget(key, doc)))
			.then();
	}

	/** A successful login: the account starts afresh and its attempt is given back to the IP's budget. */
	Mono<Void> succeeded(String emailKey, String ip) {
		return this.mongo.remove(Query.query(Criteria.where("_id").is(accountKey(emailKey))), COLLECTION)
			.then(this.mongo.updateFirst(Query.query(Criteria.where("_id").is(ipKey(ip)).and("failures").gt(0)),
					new Update().inc("failures", -1), COLLECTION))
			.then();
	}

	private Mono<Void> overBudget(String key, Document counter) {
		if (counter.getInteger("failures", 0) <= limitFor(key)) {
			return Mono.empty();
		}
		Duration wait = Duration.between(Instant.now(), counter.getDate("windowEnds").toInstant());
		return Mono.error(new TijoriException(HttpStatus.TOO_MANY_REQUESTS, "too_many_attempts",
				"Too many failed logins. Try again later.", List.of(), wait.isNegative() ? Duration.ZERO : wait));
	}

	private Mono<Document> increment(String key) {
		Date now = new Date();
		Date windowEnds = Date.from(now.toInstant().plus(this.properties.window()));
		// a window that has ended starts again from zero (only one concurrent attempt matches the condition)
		Mono<Void> restartExpired = this.mongo
			.updateFirst(Query.query(Criteria.where("_id").is(key).and("windowEnds").lte(now)),
					new Update().set("failures", 0).set("windowEnds", windowEnds).set("expireAt", windowEnds),
					COLLECTION)
			.then();
		Mono<Document> bump = this.mongo.findAndModify(Query.query(Criteria.where("_id").is(key)),
				new Update().inc("failures", 1).setOnInsert("windowEnds", windowEnds).setOnInsert("expireAt", windowEnds),
				FindAndModifyOptions.options().upsert(true).returnNew(true), Document.class, COLLECTION)
			// two first attempts may both insert; the loser increments the winner's document
			.retryWhen(Retry.max(2).filter(DuplicateKeyException.class::isInstance));
		return restartExpired.then(bump);
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
