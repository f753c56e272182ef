package com.tijorihq.tijori.gateway.sandbox;

import java.time.Instant;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoOperations;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

import com.tijorihq.tijori.common.MongoIndexes;
import com.tijorihq.tijori.gateway.sandbox.SandboxDocuments.SandboxEvent;
import com.tijorihq.tijori.gateway.sandbox.SandboxDocuments.SandboxOrder;
import com.tijorihq.tijori.gateway.sandbox.SandboxDocuments.SandboxPayment;
import com.tijorihq.tijori.gateway.sandbox.SandboxDocuments.SandboxRefund;

/** The sandbox's MongoDB collections; state survives restarts like the gateway's would. */
class SandboxStore {

	private final ReactiveMongoOperations mongo;

	private final Mono<Void> indexes;

	SandboxStore(ReactiveMongoOperations mongo) {
		this.mongo = mongo;
		// only the unique index that guards refund idempotency: the sandbox's collections stay small, and the
		// embedded MongoDB ignores (and warns about) plain secondary indexes
		this.indexes = MongoIndexes.ensure(mongo, SandboxDocuments.REFUNDS,
				new Index("idempotencyKey", Sort.Direction.ASC).unique().named("uniq_idempotency_key"));
	}

	Mono<SandboxOrder> insert(SandboxOrder order) {
		return this.indexes.then(this.mongo.insert(order));
	}

	/** Optimistic: fails with {@code OptimisticLockingFailureException} when the order changed meanwhile. */
	Mono<SandboxOrder> save(SandboxOrder order) {
		return this.indexes.then(this.mongo.save(order));
	}

	Mono<SandboxOrder> order(String id) {
		return this.indexes.then(this.mongo.findById(id, SandboxOrder.class));
	}

	Flux<SandboxOrder> orders(String receipt, int skip, int count) {
		Query query = (receipt != null) ? Query.query(Criteria.where("receipt").is(receipt)) : new Query();
		query.with(Sort.by(Sort.Direction.DESC, "createdAt", "_id")).skip(skip).limit(count);
		return this.indexes.thenMany(this.mongo.find(query, SandboxOrder.class));
	}

	Mono<SandboxPayment> insert(SandboxPayment payment) {
		return this.indexes.then(this.mongo.insert(payment));
	}

	Mono<SandboxPayment> save(SandboxPayment payment) {
		return this.indexes.then(this.mongo.save(payment));
	}

	Mono<SandboxPayment> payment(String id) {
		return this.indexes.then(this.mongo.findById(id, SandboxPayment.class));
	}

	Flux<SandboxPayment> payments(String orderId) {
		Query query = Query.query(Criteria.where("orderId").is(orderId))
			.with(Sort.by(Sort.Direction.DESC, "createdAt", "_id"));
		return this.indexes.thenMany(this.mongo.find(query, SandboxPayment.class));
	}

	Flux<SandboxPayment> payments(long fromSecond, long toSecond, int skip, int count) {
		Query query = Query.query(Criteria.where("createdAt").gte(fromSecond).lte(toSecond))
			.with(Sort.by(Sort.Direction.DESC, "createdAt", "_id"))
			.skip(skip)
			.limit(count);
		return this.indexes.thenMany(this.mongo.find(query, SandboxPayment.class));
	}

	Mono<SandboxRefund> insert(SandboxRefund refund) {
		return this.indexes.then(this.mongo.insert(refund));
	}

	Mono<SandboxRefund> refund(String id) {
		return this.indexes.then(this.mongo.findById(id, SandboxRefund.class));
	}

	Mono<SandboxRefund> refundByKey(String idempotencyKey) {
		return this.indexes.then(this.mongo.findOne(Query.query(Criteria.where("idempotencyKey").is(idempotencyKey)),
				SandboxRefund.class));
	}

	Flux<SandboxRefund> pendingRefunds() {
		return this.indexes.thenMany(this.mongo.find(Query.query(Criteria.where("status").is("pending")),
				SandboxRefund.class));
	}

	/** Moves a pending refund to {@code status}; empty when it is no longer pending. */
	Mono<SandboxRefund> settleRefund(String id, String status) {
		return this.mongo.findAndModify(Query.query(Criteria.where("_id").is(id).and("status").is("pending")),
				new org.springframework.data.mongodb.core.query.Update().set("status", status),
				org.springframework.data.mongodb.core.FindAndModifyOptions.options().returnNew(true),
				SandboxRefund.class);
	}

	Mono<Void> deleteRefund(String id) {
		return this.mongo.remove(Query.query(Criteria.where("_id").is(id)), SandboxRefund.class).then();
	}

	Flux<SandboxRefund> refunds(String paymentId) {
		Query query = Query.query(Criteria.where("paymentId").is(paymentId))
			.with(Sort.by(Sort.Direction.DESC, "createdAt", "_id"));
		return this.indexes.thenMany(this.mongo.find(query, SandboxRefund.class));
	}

	Flux<SandboxEvent> insertEvents(java.util.List<SandboxEvent> events) {
		return this.indexes.thenMany(this.mongo.insertAll(events));
	}

	Flux<SandboxEvent> dueEvents(Instant now, int limit) {
		Query query = Query.query(Criteria.where("status").is("pending").and("nextAttemptAt").lte(now))
			.with(Sort.by("sequence"))
			.limit(limit);
		return this.indexes.thenMany(this.mongo.find(query, SandboxEvent.class));
	}

	/** Takes a pending event for {@code lease} so that one replica delivers it; true when this one got it. */
	Mono<Boolean> claim(SandboxEvent event, Instant now, Instant leaseUntil) {
		Query query = Query.query(Criteria.where("_id").is(event.id())
			.and("status").is("pending")
			.and("attempts").is(event.attempts())
			.and("nextAttemptAt").lte(now));
		return this.mongo.updateFirst(query, Update.update("nextAttemptAt", leaseUntil), SandboxEvent.class)
			.map(result -> result.getModifiedCount() == 1);
	}

	Mono<Void> delivered(SandboxEvent event, int attempts) {
		return this.mongo.updateFirst(Query.query(Criteria.where("_id").is(event.id())),
				Update.update("status", "delivered").set("attempts", attempts), SandboxEvent.class).then();
	}

	Mono<Void> failed(SandboxEvent event, int attempts, Instant nextAttemptAt, boolean giveUp) {
		Update update = Update.update("attempts", attempts).set("nextAttemptAt", nextAttemptAt);
		if (giveUp) {
			update.set("status", "failed");
		}
		return this.mongo.updateFirst(Query.query(Criteria.where("_id").is(event.id())), update, SandboxEvent.class)
			.then();
	}

}
