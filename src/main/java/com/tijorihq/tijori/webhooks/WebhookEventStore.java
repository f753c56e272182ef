package com.tijorihq.tijori.webhooks;

import java.time.Duration;
import java.time.Instant;

import com.mongodb.client.result.DeleteResult;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoOperations;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Repository;

import com.tijorihq.tijori.common.DueKey;
import com.tijorihq.tijori.common.MongoIndexes;

/**
 * {@code webhook_events}. The event id is the {@code _id}, so MongoDB's own unique index deduplicates: of any
 * number of concurrent deliveries of one event exactly one insert succeeds; a unique index on the body's hash
 * does the same for one body delivered under several event ids. Handled events carry
 * {@code expireAt}, on which a TTL index deletes them; the embedded MongoDB's H2 backend ignores TTL (and other
 * non-unique) indexes, so {@link WebhookProcessor} also deletes expired events itself.
 */
@Repository
class WebhookEventStore {

	private final ReactiveMongoOperations mongo;

	private final Mono<Void> indexes;

	WebhookEventStore(ReactiveMongoOperations mongo) {
		this.mongo = mongo;
		this.indexes = MongoIndexes.ensure(mongo, WebhookEventDocument.COLLECTION,
				new Index("expireAt", Sort.Direction.ASC).expire(Duration.ZERO).named("ttl_expire"),
				new Index().on("status", Sort.Direction.ASC).on("nextAttemptAt", Sort.Direction.ASC)
					.named("by_status_next"),
				new Index("contentHash", Sort.Direction.ASC).unique().sparse().named("uniq_content_hash"),
				// the processor's periodic reads: a range on these (only waiting or handled events carry them)
				new Index("retryDue", Sort.Direction.ASC).unique().sparse().named("due_retry"),
				new Index("expireDue", Sort.Direction.ASC).unique().sparse().named("due_expire"));
	}

	/** Stores a new event; fails with {@code DuplicateKeyException} when its id or its body was seen before. */
	Mono<WebhookEventDocument> insert(WebhookEventDocument event) {
		return this.indexes.then(this.mongo.insert(event));
	}

	Mono<WebhookEventDocument> find(String id) {
		return this.indexes.then(this.mongo.findById(id, WebhookEventDocument.class));
	}

	Flux<WebhookEventDocument> due(Instant now, int limit) {
		return this.indexes.thenMany(this.mongo.find(DueKey.due("retryDue", now, limit), WebhookEventDocument.class));
	}

	/** Takes a due event for one attempt; empty when another replica (or the delivery itself) took it first. */
	Mono<WebhookEventDocument> claim(WebhookEventDocument seen, Instant until) {
		Query query = Query.query(Criteria.where("_id")
			.is(seen.id())
			.and("status")
			.is(WebhookEventDocument.RECEIVED)
			.and("retryDue")
			.is(seen.retryDue()));
		return this.mongo.findAndModify(query,
				new Update().set("nextAttemptAt", until).set("retryDue", DueKey.at(until, seen.id())).inc("attempts", 1),
				FindAndModifyOptions.options().returnNew(true), WebhookEventDocument.class);
	}

	Mono<Void> handled(String id, String status, String note, Instant now, Instant expireAt) {
		Query query = Query.query(Criteria.where("_id").is(id).and("status").is(WebhookEventDocument.RECEIVED));
		Update update = new Update().set("status", status)
			.set("handledAt", now)
			.set("expireAt", expireAt)
			.set("expireDue", DueKey.at(expireAt, id))
			.unset("nextAttemptAt")
			.unset("retryDue");
		if (note != null) {
			update.set("note", note);
		}
		return this.mongo.updateFirst(query, update, WebhookEventDocument.class).then();
	}

	Mono<Void> retryLater(String id, Instant next, String note) {
		Query query = Query.query(Criteria.where("_id").is(id).and("status").is(WebhookEventDocument.RECEIVED));
		return this.mongo
			.updateFirst(query,
					new Update().set("nextAttemptAt", next).set("retryDue", DueKey.at(next, id)).set("note", note),
					WebhookEventDocument.class)
			.then();
	}

	Mono<Long> deleteExpired(Instant now) {
		return this.mongo
			.remove(Query.query(Criteria.where("expireDue").lt(DueKey.dueBy(now))), WebhookEventDocument.class)
			.map(DeleteResult::getDeletedCount);
	}

}
