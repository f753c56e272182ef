package com.tijorihq.tijori.checkout;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

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

import com.tijorihq.tijori.checkout.OrderDocument.OrderEvent;
import com.tijorihq.tijori.checkout.OrderDocument.PaymentAttempt;
import com.tijorihq.tijori.checkout.OrderDocument.RefundRecord;
import com.tijorihq.tijori.common.MongoIndexes;

/**
 * Orders in MongoDB. Every state change is a single-document conditional {@code findAndModify}: the filter names
 * the states the change is allowed from, so whoever comes second finds nothing to change.
 */
@Repository
class OrderRepository {

	private static final FindAndModifyOptions RETURN_NEW = FindAndModifyOptions.options().returnNew(true);

	private final ReactiveMongoOperations mongo;

	private final Mono<Void> indexes;

	OrderRepository(ReactiveMongoOperations mongo) {
		this.mongo = mongo;
		this.indexes = MongoIndexes.ensure(mongo, OrderDocument.COLLECTION,
				new Index("publicId", Sort.Direction.ASC).unique().named("uniq_public_id"),
				new Index().on("userId", Sort.Direction.ASC).on("createdAt", Sort.Direction.DESC).named("by_user"),
				new Index("createdAt", Sort.Direction.DESC).named("by_created"),
				new Index("gatewayOrderId", Sort.Direction.ASC).named("by_gateway_order"),
				new Index().on("status", Sort.Direction.ASC).on("updatedAt", Sort.Direction.ASC).named("by_status"));
	}

	Mono<OrderDocument> insert(OrderDocument order) {
		return this.indexes.then(this.mongo.insert(order));
	}

	Mono<OrderDocument> find(String publicId) {
		return this.indexes.then(this.mongo.findOne(byId(publicId), OrderDocument.class));
	}

	/** The order whose current or an earlier gateway order this is. */
	Mono<OrderDocument> findByGatewayOrderId(String gatewayOrderId) {
		Criteria either = new Criteria().orOperator(Criteria.where("gatewayOrderId").is(gatewayOrderId),
				Criteria.where("previousGatewayOrderIds").is(gatewayOrderId));
		return this.indexes.then(this.mongo.findOne(Query.query(either), OrderDocument.class));
	}

	/**
	 * Replaces a failed order's gateway order with a new one (a fresh checkout), keeping the old id: only while
	 * the order is still {@code failed} on the gateway order the caller saw, so two concurrent renewals store one.
	 */
	Mono<OrderDocument> renewGatewayOrder(String publicId, String seenGatewayOrderId, String gatewayOrderId,
			Map<String, String> checkout, Instant now) {
		Query query = Query.query(Criteria.where("publicId")
			.is(publicId)
			.and("status")
			.is(OrderStatus.FAILED)
			.and("gatewayOrderId")
			.is(seenGatewayOrderId));
		Update update = new Update().set("gatewayOrderId", gatewayOrderId)
			.set("checkout", checkout)
			.push("previousGatewayOrderIds", seenGatewayOrderId)
			.set("updatedAt", now);
		return this.mongo.findAndModify(query, update, RETURN_NEW, OrderDocument.class);
	}

	/** Newest first; {@code userId} null lists every user's orders (admins). */
	Flux<OrderDocument> findPage(String userId, long offset, int size) {
		Query query = ownedBy(userId).with(Sort.by(Sort.Order.desc("createdAt"), Sort.Order.desc("publicId")))
			.skip(offset)
			.limit(size);
		return this.indexes.thenMany(this.mongo.find(query, OrderDocument.class));
	}

	Mono<Long> count(String userId) {
		return this.indexes.then(this.mongo.count(ownedBy(userId), OrderDocument.class));
	}

	/**
	 * Takes the right to create this order's gateway order, unless another request holds it or it exists already.
	 */
	Mono<OrderDocument> takeGatewayLease(String publicId, Instant now, Instant until) {
		Query query = Query.query(Criteria.where("publicId")
			.is(publicId)
			.and("gatewayOrderId")
			.is(null)
			.orOperator(Criteria.where("gatewayLeaseUntil").is(null), Criteria.where("gatewayLeaseUntil").lt(now)));
		Update update = new Update().set("gatewayLeaseUntil", until).inc("gatewayAttempts", 1);
		return this.mongo.findAndModify(query, update, RETURN_NEW, OrderDocument.class);
	}

	Mono<OrderDocument> setGatewayOrder(String publicId, String gatewayOrderId, Map<String, String> checkout,
			Instant now) {
		Query query = Query.query(Criteria.where("publicId").is(publicId).and("gatewayOrderId").is(null));
		Update update = new Update().set("gatewayOrderId", gatewayOrderId)
			.set("checkout", checkout)
			.unset("gatewayLeaseUntil")
			.set("updatedAt", now);
		return this.mongo.findAndModify(query, update, RETURN_NEW, OrderDocument.class);
	}

	Mono<Void> releaseGatewayLease(String publicId) {
		return this.mongo.updateFirst(byId(publicId), new Update().unset("gatewayLeaseUntil"), OrderDocument.class)
			.then();
	}

	/** Records a payment attempt; its status only moves forward (or stays). Empty when it would move back. */
	Mono<OrderDocument> recordPayment(String publicId, PaymentAttempt attempt) {
		String key = "payments." + attempt.gatewayPaymentId();
		Query query = Query.query(Criteria.where("publicId")
			.is(publicId)
			.orOperator(Criteria.where(key).exists(false),
					Criteria.where(key + ".status").in(OrderStateMachine.fromOrSame(attempt.status()))));
		Update update = new Update().set(key + ".publicId", attempt.publicId())
			.set(key + ".gatewayPaymentId", attempt.gatewayPaymentId())
			.set(key + ".status", attempt.status())
			.set(key + ".amount", attempt.amount())
			.set(key + ".currency", attempt.currency())
			.set(key + ".updatedAt", attempt.updatedAt());
		if (attempt.method() != null) {
			update.set(key + ".method", attempt.method());
		}
		if (attempt.gatewayOrderId() != null) {
			update.set(key + ".gatewayOrderId", attempt.gatewayOrderId());
		}
		update.min(key + ".createdAt", attempt.createdAt());
		return this.mongo.findAndModify(query, update, RETURN_NEW, OrderDocument.class);
	}

	/**
	 * Moves the order to {@code to} if it is still at {@code expected}'s version and in a status allowed to move
	 * there; appends the event in the same write. Empty when someone else changed the order first.
	 */
	Mono<OrderDocument> transition(OrderDocument expected, OrderStatus to, Instant now) {
		Set<OrderStatus> from = OrderStateMachine.from(to);
		Query query = Query.query(Criteria.where("publicId")
			.is(expected.publicId())
			.and("version")
			.is(expected.version())
			.and("status")
			.in(from));
		long next = expected.version() + 1;
		Update update = new Update().set("status", to)
			.set("version", next)
			.push("events", new OrderEvent(next, to, now))
			.set("eventsPending", true)
			.set("updatedAt", now);
		if (to == OrderStatus.PAID) {
			// paid happens once (only pre-payment states lead there), for exactly the order's amount
			update.set("refundable", expected.amount());
		}
		return this.mongo.findAndModify(query, update, RETURN_NEW, OrderDocument.class);
	}

	/** The order holding this gateway payment; null-safe against ids that are not plain Razorpay ids. */
	Mono<OrderDocument> findByGatewayPaymentId(String gatewayPaymentId) {
		if (!isPlainId(gatewayPaymentId)) {
			return Mono.empty();
		}
		return this.indexes.then(this.mongo.findOne(
				Query.query(Criteria.where("payments." + gatewayPaymentId).exists(true)), OrderDocument.class));
	}

	/** For orders paid before {@code refundable} existed: starts it at what was captured less what was refunded. */
	Mono<Void> initRefundable(OrderDocument order) {
		Query query = Query.query(Criteria.where("publicId").is(order.publicId()).and("refundable").is(null));
		return this.mongo
			.updateFirst(query, new Update().set("refundable", order.amount() - order.amountRefunded()),
					OrderDocument.class)
			.then();
	}

	/**
	 * Reserves a refund's amount: one conditional write that succeeds only while the order is paid, enough is left
	 * to refund and no refund with this id exists. Empty otherwise (the caller re-reads to say why).
	 */
	Mono<OrderDocument> reserveRefund(String publicId, RefundRecord refund) {
		String key = "refunds." + refund.publicId();
		Query query = refundable(publicId, key, refund.amount());
		Update update = refundFields(new Update(), key, refund).inc("refundable", -refund.amount())
			.set("updatedAt", refund.updatedAt())
			// if the gateway's answer never arrives (timeout, crash), the reconciler finishes the refund later
			.set("refundCheckAfter", refund.createdAt().plus(Reconciler.UNANSWERED_REFUND));
		return this.mongo.findAndModify(query, update, RETURN_NEW, OrderDocument.class);
	}

	/**
	 * Records a refund Tijori did not start (made in the gateway's dashboard) that the gateway processed: the same
	 * guard as a reservation, and counted at once.
	 */
	Mono<OrderDocument> recordExternalRefund(String publicId, RefundRecord refund) {
		String key = "refunds." + refund.publicId();
		Query query = refundable(publicId, key, refund.amount());
		Update update = refundFields(new Update(), key, refund).inc("refundable", -refund.amount())
			.inc("amountRefunded", refund.amount())
			.set("updatedAt", refund.updatedAt());
		return this.mongo.findAndModify(query, update, RETURN_NEW, OrderDocument.class);
	}

	/** The order while it is paid, still has {@code amount} to refund and has no refund under {@code key}. */
	private static Query refundable(String publicId, String key, long amount) {
		return Query.query(Criteria.where("publicId")
			.is(publicId)
			.and("status")
			.in(OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED)
			.and("refundable")
			.gte(amount)
			.and(key)
			.exists(false));
	}

	/** Notes the gateway's id of a refund still pending. */
	Mono<OrderDocument> refundAccepted(String publicId, String refundId, String gatewayRefundId, Instant now) {
		String key = "refunds." + refundId;
		Query query = Query.query(Criteria.where("publicId").is(publicId).and(key + ".status").is(RefundStatus.PENDING));
		Update update = new Update().set(key + ".gatewayRefundId", gatewayRefundId)
			.set(key + ".updatedAt", now)
			.set("refundCheckAfter", now);
		return this.mongo.findAndModify(query, update, RETURN_NEW, OrderDocument.class);
	}

	/** Orders with a refund the gateway accepted as pending, due to be asked about again. */
	Flux<OrderDocument> findRefundsToCheck(Instant now, int limit) {
		Query query = Query.query(Criteria.where("refundCheckAfter").lte(now))
			.with(Sort.by("refundCheckAfter"))
			.limit(limit);
		return this.indexes.thenMany(this.mongo.find(query, OrderDocument.class));
	}

	/** When to ask about the order's pending refunds next; null: none left to ask about. */
	Mono<Void> scheduleRefundCheck(String publicId, Instant at) {
		Update update = (at != null) ? new Update().set("refundCheckAfter", at) : new Update().unset("refundCheckAfter");
		return this.mongo.updateFirst(byId(publicId), update, OrderDocument.class).then();
	}

	/**
	 * Settles a pending refund: processed counts it in {@code amountRefunded}, failed returns its amount to
	 * {@code refundable}. Only from pending, so a repeated or late settlement changes nothing (empty).
	 */
	Mono<OrderDocument> settleRefund(String publicId, RefundRecord refund, RefundStatus to, String gatewayRefundId,
			Instant now) {
		String key = "refunds." + refund.publicId();
		Query query = Query.query(Criteria.where("publicId").is(publicId).and(key + ".status").is(RefundStatus.PENDING));
		Update update = new Update().set(key + ".status", to).set(key + ".updatedAt", now).set("updatedAt", now);
		if (gatewayRefundId != null) {
			update.set(key + ".gatewayRefundId", gatewayRefundId);
		}
		if (to == RefundStatus.PROCESSED) {
			update.inc("amountRefunded", refund.amount());
		}
		else if (to == RefundStatus.FAILED) {
			update.inc("refundable", refund.amount());
		}
		return this.mongo.findAndModify(query, update, RETURN_NEW, OrderDocument.class);
	}

	/**
	 * Orders the reconciler should look at: unpaid ones older than {@code createdBefore}, and {@code expired} ones
	 * younger than {@code expiredSince} (late authorisation), that are not resting until a later sweep.
	 */
	Flux<OrderDocument> findForReconcile(Instant createdBefore, Instant expiredSince, Instant now, int limit) {
		Criteria due = new Criteria().orOperator(Criteria.where("reconcileAfter").is(null),
				Criteria.where("reconcileAfter").lte(now));
		Criteria unpaid = Criteria.where("status")
			.in(OrderStatus.CREATED, OrderStatus.ATTEMPTED, OrderStatus.FAILED)
			.and("createdAt")
			.lte(createdBefore);
		Criteria lately = Criteria.where("status")
			.is(OrderStatus.EXPIRED)
			.and("createdAt")
			.gte(expiredSince)
			.lte(createdBefore);
		Query query = Query.query(new Criteria().andOperator(due, new Criteria().orOperator(unpaid, lately)))
			.with(Sort.by("createdAt"))
			.limit(limit);
		return this.indexes.thenMany(this.mongo.find(query, OrderDocument.class));
	}

	/** Takes the order for one reconciliation, unless another sweeper took it since it was read. */
	Mono<OrderDocument> claimForReconcile(OrderDocument seen, Instant until) {
		Query query = Query.query(Criteria.where("publicId").is(seen.publicId()).and("reconcileAfter").is(
				seen.reconcileAfter()));
		return this.mongo.findAndModify(query, new Update().set("reconcileAfter", until), RETURN_NEW,
				OrderDocument.class);
	}

	Mono<Void> addFlag(String publicId, String flag) {
		return this.mongo.updateFirst(byId(publicId), new Update().addToSet("flags", flag), OrderDocument.class)
			.then();
	}

	Mono<Void> countVerificationFailure(String publicId) {
		return this.mongo
			.updateFirst(byId(publicId), new Update().inc("verificationFailures", 1), OrderDocument.class)
			.then();
	}

	/** Clears the outbox flag unless a newer change has happened since {@code version}. */
	Mono<Void> markEventsPublished(String publicId, long version) {
		Query query = Query.query(Criteria.where("publicId").is(publicId).and("version").is(version));
		return this.mongo.updateFirst(query, new Update().set("eventsPending", false), OrderDocument.class).then();
	}

	Flux<OrderDocument> findWithPendingEvents(Instant changedBefore, int limit) {
		Query query = Query
			.query(Criteria.where("eventsPending").is(true).and("updatedAt").lt(changedBefore))
			.limit(limit);
		return this.indexes.thenMany(this.mongo.find(query, OrderDocument.class));
	}

	private static Update refundFields(Update update, String key, RefundRecord refund) {
		update.set(key + ".publicId", refund.publicId())
			.set(key + ".gatewayPaymentId", refund.gatewayPaymentId())
			.set(key + ".amount", refund.amount())
			.set(key + ".currency", refund.currency())
			.set(key + ".status", refund.status())
			.set(key + ".createdAt", refund.createdAt())
			.set(key + ".updatedAt", refund.updatedAt());
		if (refund.gatewayRefundId() != null) {
			update.set(key + ".gatewayRefundId", refund.gatewayRefundId());
		}
		if (refund.idempotencyKey() != null) {
			update.set(key + ".idempotencyKey", refund.idempotencyKey());
		}
		return update;
	}

	/** Gateway ids become field names in queries: only letters, digits and underscores may. */
	static boolean isPlainId(String id) {
		return id != null && !id.isEmpty() && id.length() <= 64 && id.chars()
			.allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_');
	}

	private static Query byId(String publicId) {
		return Query.query(Criteria.where("publicId").is(publicId));
	}

	private static Query ownedBy(String userId) {
		return (userId != null) ? Query.query(Criteria.where("userId").is(userId)) : new Query();
	}

}
