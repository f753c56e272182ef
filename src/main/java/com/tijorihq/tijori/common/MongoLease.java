package com.tijorihq.tijori.common;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bson.Document;
import reactor.core.publisher.Mono;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoOperations;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

/**
 * A named lease in the {@code leases} collection ({@code _id} = name, {@code holder}, {@code expiresAt}) so that
 * one replica at a time does some periodic work. Taken by inserting the document, or — when it exists — by a
 * conditional update that matches only an expired lease or one this holder already has; a holder that crashes
 * simply stops renewing, and the lease is free again once it expires. Times are the replicas' clocks, so the
 * duration should be well above any clock skew.
 */
public final class MongoLease {

	public static final String COLLECTION = "leases";

	private final ReactiveMongoOperations mongo;

	private final String name;

	private final String holder;

	private final Duration duration;

	private volatile Instant heldUntil = Instant.MIN;

	public MongoLease(ReactiveMongoOperations mongo, String name, String holder, Duration duration) {
		this.mongo = mongo;
		this.name = name;
		this.holder = holder;
		this.duration = duration;
	}

	public String holder() {
		return this.holder;
	}

	/** Takes or renews the lease; true when this holder has it until now + duration. */
	public Mono<Boolean> acquire() {
		return Mono.defer(() -> {
			Instant now = Instant.now();
			Instant until = now.plus(this.duration);
			Document fresh = new Document("_id", this.name).append("holder", this.holder)
				.append("expiresAt", Date.from(until));
			Query takeable = Query.query(Criteria.where("_id")
				.is(this.name)
				.orOperator(Criteria.where("expiresAt").lt(Date.from(now)), Criteria.where("holder").is(this.holder)));
			Update update = new Update().set("holder", this.holder).set("expiresAt", Date.from(until));
			return this.mongo.insert(fresh, COLLECTION)
				.map(inserted -> true)
				.onErrorResume(DuplicateKeyException.class,
						ex -> this.mongo
							.findAndModify(takeable, update, FindAndModifyOptions.options().returnNew(true),
									Document.class, COLLECTION)
							.map(taken -> this.holder.equals(taken.getString("holder")))
							.defaultIfEmpty(false))
				.doOnNext(held -> this.heldUntil = held ? until : Instant.MIN);
		});
	}

	/** Renews the lease when less than half of it is left; false when it was lost. */
	public Mono<Boolean> keep() {
		return Mono.defer(() -> {
			Instant now = Instant.now();
			if (this.heldUntil.isAfter(now.plus(this.duration.dividedBy(2)))) {
				return Mono.just(true);
			}
			return acquire();
		});
	}

	/** Gives the lease up (only if this holder still has it). */
	public Mono<Void> release() {
		Query mine = Query.query(Criteria.where("_id").is(this.name).and("holder").is(this.holder));
		return this.mongo.remove(mine, COLLECTION).doOnSuccess(done -> this.heldUntil = Instant.MIN).then();
	}

}
