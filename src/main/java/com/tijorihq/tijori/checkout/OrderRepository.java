package com.tijorihq.tijori.checkout;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bson.Document;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.BulkOperations.BulkMode;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveBulkOperations;
import org.springframework.data.mongodb.core.ReactiveMongoOperations;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Repository;

import com.tijorihq.tijori.common.DueKey;
import com.tijorihq.tijori.checkout.OrderDocument.OrderEvent;
import com.tijorihq.tijori.checkout.OrderDocument.Attempt;
import com.tijorihq.tijori.checkout.OrderDocument.Payment;
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

	/** When the reconciler looks at money after a capture or an unanswered refund ({@code unansweredAfter}). */
	private final Duration moneyCheckAfter;

	OrderRepository(ReactiveMongoOperations mongo, ReconcileProperties reconcile) {
		this.mongo = mongo;
		this.moneyCheckAfter = reconcile.unansweredAfter();
		this.indexes = MongoIndexes.ensure(mongo, OrderDocument.COLLECTION,
				new Index("publicId", Sort.Direction.ASC).unique().named("uniq_public_id"),
				new Index("idempotencyKey", Sort.Direction.ASC).unique().sparse().named("uniq_idempotency_key"),
				new Index().on("userId", Sort.Direction.ASC).on("createdAt", Sort.Direction.DESC).named("by_user"),
				new Index("createdAt", Sort.Direction.DESC).named("by_created"),
				new Index("attempts.gatewayOrderId", Sort.Direction.ASC).named("by_attempt_gateway_order"),
				new Index().on("status", Sort.Direction.ASC).on("updatedAt", Sort.Direction.ASC).named("by_status"),
				// background work finds what is due by a range on these (only orders with work outstanding are in
				// them): see DueKeys
				new Index(DueKeys.RELAY, Sort.Direction.ASC).unique().sparse().named("due_relay"),
				new Index(DueKeys.RECONCILE, Sort.Direction.ASC).unique().sparse().named("due_reconcile"),
				new Index(DueKeys.REFUND_CHECK, Sort.Direction.ASC).unique().sparse().named("due_refund_check"));
	}

	Mono<OrderDocument> insert(OrderDocument order) {
		return this.indexes.then(this.mongo.insert(order));
	}

	/** The order a buyer's Idempotency-Key ({@code userId:key}) stands for. */
	Mono<OrderDocument> findByIdempotencyKey(String scopedKey) {
		return this.indexes
			.then(this.mongo.findOne(Query.query(Criteria.where("idempotencyKey").is(scopedKey)), OrderDocument.class));
	}

	/**
	 * Frees a key older than its lifetime for a new order: the old order keeps it under another name. Only the
	 * first of concurrent takers renames it (the filter pins the order that held it).
	 */
	Mono<OrderDocument> retireIdempotencyKey(OrderDocument holder) {
		Query query = Query.query(Criteria.where("publicId")
			.is(holder.publicId())
			.and("idempotencyKey")
			.is(holder.idempotencyKey()));
		return this.mongo.findAndModify(query,
				new Update().set("idempotencyKey", holder.idempotencyKey() + "#" + holder.publicId()), RETURN_NEW,
				OrderDocument.class);
	}

	Mono<OrderDocument> find(String publicId) {
		return this.indexes.then(this.mongo.findOne(byId(publicId), OrderDocument.class));
	}

	/** The order one of whose attempts is this gateway order. */
	Mono<OrderDocument> findByGatewayOrderId(String gatewayOrderId) {
		return this.indexes.then(this.mongo.findOne(
				Query.query(Criteria.where("attempts.gatewayOrderId").is(gatewayOrderId)), OrderDocument.class));
	}

	/**
	 * Appends a new attempt to a failed order (paying again at a gateway that takes each order id once): only while
	 * the order is still {@code failed} on the attempt the caller saw, so two concurrent calls append one.
	 */
	Mono<OrderDocument> appendAttempt(String publicId, String seenGatewayOrderId, Attempt attempt) {
		Query query = Query.query(Criteria.where("publicId")
			.is(publicId)
			.and("status")
			.is(OrderStatus.FAILED)
			.and("gatewayOrderId")
			.is(seenGatewayOrderId));
		Update update = new Update().set("gatewayOrderId", attempt.gatewayOrderId())
			.push("attempts", attempt)
			.inc("revision", 1)
			.set("updatedAt", attempt.createdAt());
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

	/** The buyer's orders created since {@code since} that still wait for a payment. */
	Mono<Long> countAwaitingPayment(String userId, Instant since) {
		Query query = Query.query(Criteria.where("userId")
			.is(userId)
			.and("createdAt")
			.gte(since)
			.and("status")
			.in(OrderStatus.CREATED, OrderStatus.ATTEMPTED, OrderStatus.FAILED));
		return this.indexes.then(this.mongo.count(query, OrderDocument.class));
	}

	/**
	 * A page of orders created in {@code [from, to)}, oldest first, strictly after ({@code afterAt},
	 * {@code afterId}) when given (a cursor that survives inserts); {@code gateway} non-null keeps orders with an
	 * attempt at it (or made for it before any attempt existed).
	 */
	Flux<OrderDocument> findCreatedBetween(Instant from, Instant to, String gateway, Instant afterAt, String afterId,
			int limit) {
		Criteria window = Criteria.where("createdAt").gte(from).lt(to);
		Criteria after = (afterAt == null) ? new Criteria()
				: new Criteria().orOperator(Criteria.where("createdAt").gt(afterAt),
						Criteria.where("createdAt").is(afterAt).and("publicId").gt(afterId));
		Criteria atGateway = (gateway == null) ? new Criteria()
				: new Criteria().orOperator(Criteria.where("gateway").is(gateway),
						Criteria.where("attempts.gateway").is(gateway));
		Query query = Query.query(new Criteria().andOperator(window, after, atGateway))
			.with(Sort.by(Sort.Order.asc("createdAt"), Sort.Order.asc("publicId")))
			.limit(limit);
		return this.indexes.thenMany(this.mongo.find(query, OrderDocument.class));
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

	/**
	 * Moves an order that has no gateway order yet from one gateway to another and takes its gateway lease, so
	 * that this request alone creates the gateway order there. Empty when the order got a gateway order, moved, or
	 * is leased by another request meanwhile.
	 */
	Mono<OrderDocument> moveToGateway(String publicId, String from, String to, Instant now, Instant until) {
		Query query = Query.query(Criteria.where("publicId")
			.is(publicId)
			.and("gatewayOrderId")
			.is(null)
			.and("gateway")
			.is(from)
			.orOperator(Criteria.where("gatewayLeaseUntil").is(null), Criteria.where("gatewayLeaseUntil").lt(now)));
		Update update = new Update().set("gateway", to)
			.set("gatewayLeaseUntil", until)
			.inc("gatewayAttempts", 1)
			.set("updatedAt", now);
		return this.mongo.findAndModify(query, update, RETURN_NEW, OrderDocument.class);
	}

	/**
	 * Stores the order's first attempt, once, and only at the gateway the order is at (an order failed over to
	 * another gateway never takes a gateway order its earlier gateway made).
	 */
	Mono<OrderDocument> setFirstAttempt(String publicId, Attempt attempt) {
		Query query = Query.query(
				Criteria.where("publicId").is(publicId).and("gatewayOrderId").is(null).and("gateway").is(attempt.gateway()));
		Update update = new Update().set("gatewayOrderId", attempt.gatewayOrderId())
			.push("attempts", attempt)
			.inc("revision", 1)
			.unset("gatewayLeaseUntil")
			.set("updatedAt", attempt.createdAt());
		return this.mongo.findAndModify(query, update, RETURN_NEW, OrderDocument.class);
	}

	Mono<Void> releaseGatewayLease(String publicId) {
		return this.mongo.updateFirst(byId(publicId), new Update().unset("gatewayLeaseUntil"), OrderDocument.class)
			.then();
	}

	/**
	 * Records a payment; its status only moves forward (or stays). Empty when it would move back. A payment first
	 * seen captured gets its {@code refundable} (a {@code $min}, so a repeat never restores money already refunded
	 * or reserved), and the order is marked for the reconciler's money check, so a duplicate capture is given back
	 * even if this process dies right after this write.
	 */
	Mono<OrderDocument> recordPayment(String publicId, Payment payment) {
		String key = "payments." + payment.gatewayPaymentId();
		Query query = Query.query(Criteria.where("publicId")
			.is(publicId)
			.orOperator(Criteria.where(key).exists(false),
					Criteria.where(key + ".status").in(OrderStateMachine.fromOrSame(payment.status()))));
		return findAndModifyUnmapped(query, paymentUpdate(publicId, key, payment));
	}

	/**
	 * The common case in one write: a capture of exactly the order's amount on an order still awaiting its money,
	 * as read ({@code seen}'s version), records the payment and makes the order {@code paid} by it, with its event.
	 * Empty when anything changed since the read (the caller then takes the general path).
	 */
	Mono<OrderDocument> recordCaptureAndPay(OrderDocument seen, Payment payment, Instant now) {
		String key = "payments." + payment.gatewayPaymentId();
		Query query = Query.query(new Criteria().andOperator(Criteria.where("publicId")
			.is(seen.publicId())
			.and("version")
			.is(seen.version())
			.and("status")
			.in(OrderStateMachine.from(OrderStatus.PAID))
			.and("paidBy")
			.is(null)
			.and("amount")
			.is(payment.amount())
			.and("currency")
			.is(payment.currency()),
				new Criteria().orOperator(Criteria.where(key).exists(false),
						Criteria.where(key + ".status").in(OrderStateMachine.fromOrSame(PaymentStatus.CAPTURED)))));
		long next = seen.version() + 1;
		Update update = changed(paymentUpdate(seen.publicId(), key, payment).set("status", OrderStatus.PAID)
			.set("version", next)
			.push("events", OrderDocumentWriter.event(new OrderEvent(next, OrderStatus.PAID, now)))
			.set("paidBy", payment.gatewayPaymentId()), seen.publicId(), OrderStatus.PAID, now);
		return findAndModifyUnmapped(query, update);
	}

	/**
	 * A {@code findAndModify} whose filter and update are not mapped against {@link OrderDocument}'s properties.
	 * Keys under {@code payments.<gateway payment id>} are map keys, not properties: Spring Data's query mapper
	 * resolved each one against the document's metadata, failed, and tried again on shorter paths: over a hundred
	 * {@code PropertyReferenceException}s (a stack trace and a "did you mean" search each) in every verify.
	 * Unmapped, field names are used as written and values are converted as the mapper converts them (enums to
	 * names, instants to dates); a sub-document is written by the caller as an order stores it
	 * ({@link OrderDocumentWriter}).
	 */
	private Mono<OrderDocument> findAndModifyUnmapped(Query query, Update update) {
		return this.mongo.findAndModify(query, update, RETURN_NEW, Document.class, OrderDocument.COLLECTION)
			.map(stored -> this.mongo.getConverter().read(OrderDocument.class, stored));
	}

	/**
	 * A payment's fields as seen now; its status only moves forward (the caller's filter sees to that). A payment
	 * first seen captured gets its {@code refundable} (a {@code $min}, so a repeat never restores money already
	 * refunded or reserved), and the order is marked for the reconciler's money check.
	 */
	private Update paymentUpdate(String publicId, String key, Payment payment) {
		Update update = new Update().set(key + ".publicId", payment.publicId())
			.set(key + ".gatewayPaymentId", payment.gatewayPaymentId())
			.set(key + ".status", payment.status())
			.set(key + ".amount", payment.amount())
			.set(key + ".currency", payment.currency())
			.set(key + ".gatewayOrderId", payment.gatewayOrderId())
			.set(key + ".updatedAt", payment.updatedAt())
			.min(key + ".createdAt", payment.createdAt())
			.inc("revision", 1);
		if (payment.method() != null) {
			update.set(key + ".method", payment.method());
		}
		if (payment.status() == PaymentStatus.CAPTURED) {
			update.min(key + ".refundable", payment.amount())
				.min(DueKeys.REFUND_CHECK, DueKey.at(payment.updatedAt().plus(this.moneyCheckAfter), publicId));
		}
		return update;
	}

	/** Marks a payment as money taken twice for this order, for an admin to see and for the refund that follows. */
	Mono<OrderDocument> markDuplicate(String publicId, String gatewayPaymentId, Instant now) {
		String key = "payments." + gatewayPaymentId;
		Query query = Query.query(Criteria.where("publicId").is(publicId).and(key).exists(true));
		Update update = new Update().set(key + ".duplicate", true)
			.addToSet("flags", "duplicate_payment:" + gatewayPaymentId)
			.inc("revision", 1)
			.set("updatedAt", now);
		return this.mongo.findAndModify(query, update, RETURN_NEW, OrderDocument.class);
	}

	/**
	 * Moves the order to {@code to} if it is still at {@code expected}'s version and in a status allowed to move
	 * there; appends the event in the same write. Empty when someone else changed the order first.
	 */
	Mono<OrderDocument> transition(OrderDocument expected, OrderStatus to, Instant now, String paidBy) {
		return transition(expected, to, now, paidBy, false);
	}

	/**
	 * The same, and only if nothing about the order's payments or attempts changed since {@code expected} was read
	 * either ({@code pinRevision}): for decisions that rest on the payments read (expiry).
	 */
	Mono<OrderDocument> transition(OrderDocument expected, OrderStatus to, Instant now, String paidBy,
			boolean pinRevision) {
		Set<OrderStatus> from = OrderStateMachine.from(to);
		Criteria criteria = Criteria.where("publicId")
			.is(expected.publicId())
			.and("version")
			.is(expected.version())
			.and("status")
			.in(from);
		if (pinRevision) {
			criteria = criteria.and("revision").is(expected.revision());
		}
		Query query = Query.query(criteria);
		long next = expected.version() + 1;
		Update update = changed(new Update().set("status", to)
			.set("version", next)
			.push("events", new OrderEvent(next, to, now)), expected.publicId(), to, now);
		if (to == OrderStatus.PAID) {
			// paid happens once (only pre-payment states lead there): its payment is the order's, any other
			// captured payment a duplicate
			update.set("paidBy", paidBy);
		}
		return this.mongo.findAndModify(query, update, RETURN_NEW, OrderDocument.class);
	}

	/**
	 * What every status change writes besides the status: the order is due for the event relay now, and a paid
	 * order no longer needs the reconciler's unpaid-order sweep (its money is watched through
	 * {@link DueKeys#REFUND_CHECK}).
	 */
	private static Update changed(Update update, String publicId, OrderStatus to, Instant now) {
		update.set(DueKeys.RELAY, DueKey.at(now, publicId)).set("updatedAt", now);
		if (!to.prePayment()) {
			update.unset(DueKeys.RECONCILE);
		}
		return update;
	}

	/** The order holding this gateway payment; null-safe against ids that are not plain Razorpay ids. */
	Mono<OrderDocument> findByGatewayPaymentId(String gatewayPaymentId) {
		if (!isPlainId(gatewayPaymentId)) {
			return Mono.empty();
		}
		return this.indexes.then(this.mongo.findOne(
				Query.query(Criteria.where("payments." + gatewayPaymentId).exists(true)), OrderDocument.class));
	}

	/**
	 * Reserves a refund's amount on its payment: one conditional write that succeeds only while that payment has
	 * enough left to refund and no refund with this id exists. Empty otherwise (the caller re-reads to say why).
	 */
	Mono<OrderDocument> reserveRefund(String publicId, RefundRecord refund) {
		String key = "refunds." + refund.publicId();
		Query query = refundable(publicId, key, refund);
		Update update = refundFields(new Update(), key, refund)
			.inc("payments." + refund.gatewayPaymentId() + ".refundable", -refund.amount())
			.set("updatedAt", refund.updatedAt())
			// if the gateway's answer never arrives (timeout, crash), the reconciler finishes the refund later
			.set(DueKeys.REFUND_CHECK, DueKey.at(refund.createdAt().plus(this.moneyCheckAfter), publicId));
		return this.mongo.findAndModify(query, update, RETURN_NEW, OrderDocument.class);
	}

	/**
	 * Records a refund Tijori did not start (made in the gateway's dashboard) that the gateway processed: the same
	 * guard as a reservation, and counted at once.
	 */
	Mono<OrderDocument> recordExternalRefund(String publicId, RefundRecord refund) {
		String key = "refunds." + refund.publicId();
		Query query = refundable(publicId, key, refund);
		String payment = "payments." + refund.gatewayPaymentId();
		Update update = refundFields(new Update(), key, refund).inc(payment + ".refundable", -refund.amount())
			.inc(payment + ".refunded", refund.amount())
			.set("updatedAt", refund.updatedAt());
		if (!refund.isDuplicate()) {
			update.inc("amountRefunded", refund.amount());
		}
		return this.mongo.findAndModify(query, update, RETURN_NEW, OrderDocument.class);
	}

	/** The order while the refund's payment still has its amount to refund and no refund is under {@code key}. */
	private static Query refundable(String publicId, String key, RefundRecord refund) {
		return Query.query(Criteria.where("publicId")
			.is(publicId)
			.and("payments." + refund.gatewayPaymentId() + ".refundable")
			.gte(refund.amount())
			.and(key)
			.exists(false));
	}

	/** Notes the gateway's id of a refund still pending. */
	Mono<OrderDocument> refundAccepted(String publicId, String refundId, String gatewayRefundId, Instant now) {
		String key = "refunds." + refundId;
		Query query = Query.query(Criteria.where("publicId").is(publicId).and(key + ".status").is(RefundStatus.PENDING));
		Update update = new Update().set(key + ".gatewayRefundId", gatewayRefundId)
			.set(key + ".updatedAt", now)
			.set(DueKeys.REFUND_CHECK, DueKey.at(now, publicId));
		return this.mongo.findAndModify(query, update, RETURN_NEW, OrderDocument.class);
	}

	/** Orders with a refund the gateway accepted as pending, due to be asked about again. */
	Flux<OrderDocument> findRefundsToCheck(Instant now, int limit) {
		return this.indexes.thenMany(this.mongo.find(DueKey.due(DueKeys.REFUND_CHECK, now, limit), OrderDocument.class));
	}

	/** When to ask about the order's pending refunds next; null: none left to ask about. */
	Mono<Void> scheduleRefundCheck(String publicId, Instant at) {
		Update update = (at != null) ? new Update().set(DueKeys.REFUND_CHECK, DueKey.at(at, publicId))
				: new Update().unset(DueKeys.REFUND_CHECK);
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
		String payment = "payments." + refund.gatewayPaymentId();
		if (to == RefundStatus.PROCESSED) {
			update.inc(payment + ".refunded", refund.amount());
			if (!refund.isDuplicate()) {
				update.inc("amountRefunded", refund.amount());
			}
		}
		else if (to == RefundStatus.FAILED) {
			update.inc(payment + ".refundable", refund.amount());
		}
		return this.mongo.findAndModify(query, update, RETURN_NEW, OrderDocument.class);
	}

	/**
	 * Orders due for the reconciler, earliest first: unpaid ones past their first look, expired ones within the
	 * late window, and any whose due time outlived its reason (the sweep clears those).
	 */
	Flux<OrderDocument> findForReconcile(Instant now, int limit) {
		return this.indexes.thenMany(this.mongo.find(DueKey.due(DueKeys.RECONCILE, now, limit), OrderDocument.class));
	}

	/**
	 * Takes the order for one reconciliation and sets when it is due next (null: never again), unless another
	 * sweeper took it since it was read.
	 */
	Mono<OrderDocument> claimForReconcile(OrderDocument seen, Instant next) {
		Query query = Query.query(Criteria.where(DueKeys.RECONCILE).is(seen.reconcileDue()));
		Update update = (next != null) ? new Update().set(DueKeys.RECONCILE, DueKey.at(next, seen.publicId()))
				: new Update().unset(DueKeys.RECONCILE);
		return this.mongo.findAndModify(query, update, RETURN_NEW, OrderDocument.class);
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

	/**
	 * Notes that {@code events} has every change of these orders, as read: one command for the batch, with one
	 * statement per order that clears the relay's due key only where it is still the one read (a newer change set a
	 * new one). One exact key per statement: a single {@code $in} over the batch's keys made the embedded server
	 * compare every order it updated with every key of the batch.
	 */
	Mono<Void> markEventsPublished(List<PendingEvents> relayed) {
		List<PendingEvents> due = relayed.stream().filter(order -> order.relayDue() != null).toList();
		if (due.isEmpty()) {
			return Mono.empty();
		}
		ReactiveBulkOperations bulk = this.mongo.bulkOps(BulkMode.UNORDERED, OrderDocument.class);
		due.forEach(order -> bulk.updateOne(Query.query(Criteria.where(DueKeys.RELAY).is(order.relayDue())),
				new Update().unset(DueKeys.RELAY).max("eventsPublished", order.version())));
		return bulk.execute().then();
	}

	/** Orders with changes {@code events} does not have yet, earliest first: only what the relay needs of them. */
	Flux<PendingEvents> findWithPendingEvents(Instant now, int limit) {
		return this.indexes.thenMany(this.mongo.query(OrderDocument.class)
			.as(PendingEvents.class)
			.matching(DueKey.due(DueKeys.RELAY, now, limit))
			.all());
	}

	/** What the relay reads of an order due for it. */
	record PendingEvents(String publicId, long version, List<OrderEvent> events, String relayDue,
			Long eventsPublished) {

		long publishedUpTo() {
			return (this.eventsPublished != null) ? this.eventsPublished : 0;
		}

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
		if (refund.isDuplicate()) {
			update.set(key + ".duplicate", true);
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
