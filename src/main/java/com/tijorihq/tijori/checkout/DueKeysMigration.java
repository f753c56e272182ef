package com.tijorihq.tijori.checkout;

import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.bson.Document;
import reactor.core.publisher.Mono;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.ReactiveMongoOperations;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

import com.tijorihq.tijori.common.DueKey;
import com.tijorihq.tijori.common.StartupTask;

/**
 * Orders stored before {@link DueKeys} marked their background work with plain fields ({@code eventsPending},
 * {@code reconcileAfter}, {@code refundCheckAfter}) that only a scan of every order could find. Once per
 * database, before the API serves, those orders get their due keys (and lose the old fields), so no outstanding
 * work is forgotten. Repeating it after an interruption is harmless; a marker in {@code migrations} says it is done.
 */
@Component
class DueKeysMigration implements StartupTask {

	static final String MARKER = "orders-due-keys-v1";

	/** Statuses in which an order may still need its gateway asked about it (unpaid, or expired but late). */
	private static final List<String> RECONCILABLE = List.of("CREATED", "ATTEMPTED", "FAILED", "EXPIRED");

	private final ReactiveMongoOperations mongo;

	private final ReconcileProperties reconcile;

	DueKeysMigration(ReactiveMongoOperations mongo, ReconcileProperties reconcile) {
		this.mongo = mongo;
		this.reconcile = reconcile;
	}

	@Override
	public String name() {
		return "order due keys";
	}

	@Override
	public Mono<Void> run() {
		return this.mongo.exists(Query.query(Criteria.where("_id").is(MARKER)), "migrations")
			.flatMap(done -> done ? Mono.empty() : migrate().then(markDone()));
	}

	private Mono<Void> migrate() {
		Instant now = Instant.now();
		Criteria legacy = new Criteria().orOperator(Criteria.where("eventsPending").is(true),
				Criteria.where("refundCheckAfter").exists(true), Criteria.where("reconcileAfter").exists(true),
				Criteria.where("status")
					.in(RECONCILABLE)
					.and(DueKeys.RECONCILE)
					.exists(false));
		return this.mongo.find(Query.query(legacy), Document.class, OrderDocument.COLLECTION)
			.concatMap(order -> this.mongo.updateFirst(Query.query(Criteria.where("_id").is(order.get("_id"))),
					dueKeys(order, now), OrderDocument.COLLECTION))
			.then();
	}

	private Update dueKeys(Document order, Instant now) {
		String id = order.getString("publicId");
		Update update = new Update().unset("eventsPending").unset("reconcileAfter").unset("refundCheckAfter");
		if (Boolean.TRUE.equals(order.getBoolean("eventsPending"))) {
			update.set(DueKeys.RELAY, DueKey.at(now, id));
		}
		if (order.get("refundCheckAfter") instanceof Date at) {
			update.set(DueKeys.REFUND_CHECK, DueKey.at(at.toInstant(), id));
		}
		String status = order.getString("status");
		if (RECONCILABLE.contains(status) && order.get(DueKeys.RECONCILE) == null) {
			Instant first = (order.get("createdAt") instanceof Date created)
					? created.toInstant().plus(this.reconcile.minAge()) : now;
			Instant at = (order.get("reconcileAfter") instanceof Date after && after.toInstant().isAfter(first))
					? after.toInstant() : first;
			update.set(DueKeys.RECONCILE, DueKey.at(at, id));
		}
		return update;
	}

	private Mono<Void> markDone() {
		return this.mongo.insert(new Document("_id", MARKER).append("at", Date.from(Instant.now())), "migrations")
			.onErrorResume(DuplicateKeyException.class, ex -> Mono.empty())
			.then();
	}

}
