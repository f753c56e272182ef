package com.tijorihq.tijori.checkout;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bson.Document;
import reactor.core.publisher.Mono;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
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
 * {@code Idempotency-Key}s of order creation, scoped to the user and honoured for 24 hours. The key document is
 * claimed by an insert on its unique {@code _id} before anything else happens, so of any number of concurrent
 * requests with one key exactly one creates the order; the others find the same order id.
 */
@Component
class IdempotencyKeys {

	static final Duration TTL = Duration.ofHours(24);

	private static final String COLLECTION = "idempotency_keys";

	private final ReactiveMongoOperations mongo;

	private final Mono<Void> indexes;

	IdempotencyKeys(ReactiveMongoOperations mongo) {
		this.mongo = mongo;
		this.indexes = MongoIndexes.ensure(mongo, COLLECTION,
				new Index("expireAt", Sort.Direction.ASC).expire(Duration.ZERO).named("ttl_expire"));
	}

	/** The order id this key stands for, and whether this request is the one that claimed it. */
	record Claim(String orderId, boolean fresh) {
	}

	/**
	 * The order id a live key already stands for; empty when the key is new or expired; a 422 when it was used
	 * with another request.
	 */
	Mono<String> lookup(String userId, String key, String requestHash) {
		Instant now = Instant.now();
		return this.indexes.then(this.mongo.findById(id(userId, key), Document.class, COLLECTION))
			.filter(found -> !found.getDate("createdAt").toInstant().plus(TTL).isBefore(now))
			.flatMap(found -> requestHash.equals(found.getString("requestHash"))
					? Mono.just(found.getString("orderId")) : Mono.error(reused()));
	}

	Mono<Claim> claim(String userId, String key, String requestHash, String newOrderId) {
		Instant now = Instant.now();
		Document doc = new Document("_id", id(userId, key)).append("requestHash", requestHash)
			.append("orderId", newOrderId)
			.append("createdAt", Date.from(now))
			.append("expireAt", Date.from(now.plus(TTL)));
		return this.indexes.then(this.mongo.insert(doc, COLLECTION))
			.map(inserted -> new Claim(newOrderId, true))
			.onErrorResume(DuplicateKeyException.class, ex -> existing(userId, key, requestHash, newOrderId, now));
	}

	private Mono<Claim> existing(String userId, String key, String requestHash, String newOrderId, Instant now) {
		return this.mongo.findById(id(userId, key), Document.class, COLLECTION).flatMap(found -> {
			Date createdAt = found.getDate("createdAt");
			if (createdAt.toInstant().plus(TTL).isBefore(now)) {
				return takeOverExpired(found, requestHash, newOrderId, now);
			}
			if (!requestHash.equals(found.getString("requestHash"))) {
				return Mono.error(reused());
			}
			return Mono.just(new Claim(found.getString("orderId"), false));
		});
	}

	/** A key older than 24 h is free again; the conditional update lets only one request take it over. */
	private Mono<Claim> takeOverExpired(Document found, String requestHash, String newOrderId, Instant now) {
		Query query = Query.query(Criteria.where("_id").is(found.get("_id")).and("createdAt").is(found.getDate("createdAt")));
		Update update = new Update().set("requestHash", requestHash)
			.set("orderId", newOrderId)
			.set("createdAt", Date.from(now))
			.set("expireAt", Date.from(now.plus(TTL)));
		return this.mongo
			.findAndModify(query, update, FindAndModifyOptions.options().returnNew(true), Document.class, COLLECTION)
			.map(taken -> new Claim(newOrderId, true))
			.switchIfEmpty(Mono.error(() -> new TijoriException(HttpStatus.CONFLICT, "idempotency_key_in_use",
					"Another request with this Idempotency-Key is in progress.", java.util.List.of(),
					Duration.ofSeconds(1))));
	}

	private static TijoriException reused() {
		return new TijoriException(HttpStatus.UNPROCESSABLE_ENTITY, "idempotency_key_reused",
				"This Idempotency-Key was used with a different request body.");
	}

	private static String id(String userId, String key) {
		return userId + ":" + key;
	}

}
