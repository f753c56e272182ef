package com.tijorihq.tijori.gateway.sandbox.payu;

import reactor.core.publisher.Mono;

import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoOperations;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

/** The sandbox's one collection; every change is a conditional single-document write (no transactions). */
class PayuSandboxStore {

	private final ReactiveMongoOperations mongo;

	PayuSandboxStore(ReactiveMongoOperations mongo) {
		this.mongo = mongo;
	}

	/** Fails with {@code DuplicateKeyException} when the txnid exists. */
	Mono<PayuSandboxTransaction> insert(PayuSandboxTransaction transaction) {
		return this.mongo.insert(transaction);
	}

	Mono<PayuSandboxTransaction> find(String txnid) {
		return this.mongo.findById(txnid, PayuSandboxTransaction.class);
	}

	Mono<PayuSandboxTransaction> byMihpayid(String mihpayid) {
		return this.mongo.findOne(Query.query(Criteria.where("mihpayid").is(mihpayid)), PayuSandboxTransaction.class);
	}

	Mono<PayuSandboxTransaction> byRefund(String requestId) {
		return this.mongo.findOne(Query.query(Criteria.where("refunds.requestId").is(requestId)),
				PayuSandboxTransaction.class);
	}

	/** Records the buyer's outcome, only while the transaction is pending; empty if it was already decided. */
	Mono<PayuSandboxTransaction> complete(String txnid, String status, String amount, long paid, String addedon) {
		Query query = Query.query(Criteria.where("_id").is(txnid).and("status").is("pending"));
		Update update = new Update().set("status", status).set("amount", amount).set("paid", paid).set("addedon",
				addedon);
		return this.mongo.findAndModify(query, update, FindAndModifyOptions.options().returnNew(true),
				PayuSandboxTransaction.class);
	}

	/**
	 * Adds a refund if its token is new and it fits in what is left ({@code refunded <= maxRefundedBefore});
	 * empty otherwise (the caller reloads to tell a repeat from an over-refund).
	 */
	Mono<PayuSandboxTransaction> addRefund(String txnid, PayuSandboxTransaction.Refund refund, long maxRefundedBefore) {
		Query query = Query.query(Criteria.where("_id")
			.is(txnid)
			.and("status")
			.is("success")
			.and("refunds.token")
			.ne(refund.token())
			.and("refunded")
			.lte(maxRefundedBefore));
		Update update = new Update().push("refunds", refund).inc("refunded", refund.amount());
		return this.mongo.findAndModify(query, update, FindAndModifyOptions.options().returnNew(true),
				PayuSandboxTransaction.class);
	}

}
