package com.tijorihq.tijori.gateway.sandbox.paytm;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import reactor.core.publisher.Mono;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoOperations;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

import com.tijorihq.tijori.common.Money;
import com.tijorihq.tijori.gateway.DecimalAmounts;
import com.tijorihq.tijori.gateway.paytm.PaytmChecksum;
import com.tijorihq.tijori.gateway.sandbox.paytm.PaytmSandboxDocuments.PaytmOrder;
import com.tijorihq.tijori.gateway.sandbox.paytm.PaytmSandboxDocuments.PaytmRefund;

import static com.tijorihq.tijori.gateway.sandbox.paytm.PaytmSandboxDocuments.CREATED;
import static com.tijorihq.tijori.gateway.sandbox.paytm.PaytmSandboxDocuments.PENDING;
import static com.tijorihq.tijori.gateway.sandbox.paytm.PaytmSandboxDocuments.TXN_FAILURE;
import static com.tijorihq.tijori.gateway.sandbox.paytm.PaytmSandboxDocuments.TXN_SUCCESS;

/**
 * The sandbox's Paytm: orders, transactions and refunds in MongoDB, changed only by single-document conditional
 * writes (the embedded MongoDB has no transactions), so concurrent or repeated requests cannot pay twice or
 * refund more than was paid.
 */
class PaytmSandboxLedger {

	private static final DateTimeFormatter TXN_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.S")
		.withZone(ZoneId.of("Asia/Kolkata"));

	private static final DateTimeFormatter ID_DATE = DateTimeFormatter.ofPattern("yyyyMMdd")
		.withZone(ZoneId.of("Asia/Kolkata"));

	private final ReactiveMongoOperations mongo;

	private final PaytmSandboxProperties properties;

	PaytmSandboxLedger(ReactiveMongoOperations mongo, PaytmSandboxProperties properties) {
		this.mongo = mongo;
		this.properties = properties;
	}

	/** What Initiate Transaction decided. */
	record Initiated(PaytmOrder order, boolean repeated, String refusalCode, String refusalMessage) {
	}

	/**
	 * Initiate Transaction: a new order gets a token; the same order initiated again with the same amount before
	 * it is paid answers its valid token ("Success Idempotent") or a fresh one; anything else is a duplicate.
	 */
	Mono<Initiated> initiate(String orderId, long amount, String currency, String callbackUrl, String custId,
			String websiteName) {
		Instant now = Instant.now();
		PaytmOrder fresh = new PaytmOrder(orderId, this.properties.mid(), amount, currency, callbackUrl, custId,
				websiteName, token(), now.plus(this.properties.tokenValidity()), false, CREATED, null, null, 0, null,
				null, null, null, 0, now);
		return this.mongo.insert(fresh)
			.map(order -> new Initiated(order, false, null, null))
			.onErrorResume(DuplicateKeyException.class, ex -> order(orderId).flatMap(existing -> {
				if (!CREATED.equals(existing.status()) || existing.amount() != amount
						|| !existing.currency().equals(currency)) {
					return Mono.just(new Initiated(existing, true, "325", "Duplicate Order Id."));
				}
				if (!existing.tokenUsed() && existing.tokenExpiresAt().isAfter(now)) {
					return Mono.just(new Initiated(existing, true, null, null));
				}
				Query unpaid = Query.query(Criteria.where("_id").is(orderId).and("status").is(CREATED));
				Update newToken = new Update().set("txnToken", token())
					.set("tokenExpiresAt", now.plus(this.properties.tokenValidity()))
					.set("tokenUsed", false)
					.set("callbackUrl", callbackUrl);
				return this.mongo
					.findAndModify(unpaid, newToken, FindAndModifyOptions.options().returnNew(true), PaytmOrder.class)
					.map(order -> new Initiated(order, false, null, null))
					.defaultIfEmpty(new Initiated(existing, true, "325", "Duplicate Order Id."));
			}));
	}

	Mono<PaytmOrder> order(String orderId) {
		return this.mongo.findById(orderId, PaytmOrder.class);
	}

	/** Why a pay request was refused, for the sandbox's own (problem+json or HTML) answers. */
	enum PayRefusal {

		NO_SUCH_ORDER, ALREADY_PAID, BAD_TOKEN

	}

	static final class PayRefusedException extends RuntimeException {

		final PayRefusal refusal;

		PayRefusedException(PayRefusal refusal) {
			super(refusal.name(), null, false, false);
			this.refusal = refusal;
		}

	}

	/** A paid (or failed) order and the signed fields Paytm posts to its callback URL. */
	record Paid(PaytmOrder order, Map<String, String> fields) {
	}

	/**
	 * The buyer pays (or fails) the order: once. {@code txnToken} null (the JSON automation endpoint) skips the
	 * token check; the page always sends it. {@code amountOverride} in paise, or null.
	 */
	Mono<Paid> pay(String orderId, boolean success, String txnToken, Long amountOverride) {
		Instant now = Instant.now();
		return order(orderId).switchIfEmpty(Mono.error(() -> new PayRefusedException(PayRefusal.NO_SUCH_ORDER)))
			.flatMap(order -> {
				if (!CREATED.equals(order.status())) {
					return Mono.error(new PayRefusedException(PayRefusal.ALREADY_PAID));
				}
				if (txnToken != null && !validToken(order, txnToken, now)) {
					return Mono.error(new PayRefusedException(PayRefusal.BAD_TOKEN));
				}
				long txnAmount = (amountOverride != null) ? amountOverride : order.amount();
				Criteria unpaid = Criteria.where("_id").is(orderId).and("status").is(CREATED);
				if (txnToken != null) {
					unpaid = unpaid.and("txnToken").is(txnToken).and("tokenUsed").is(false);
				}
				Update update = new Update().set("status", success ? TXN_SUCCESS : TXN_FAILURE)
					.set("txnId", ID_DATE.format(now) + digits(18))
					.set("bankTxnId", digits(12))
					.set("txnAmount", txnAmount)
					.set("paymentMode", "UPI")
					.set("txnDate", TXN_DATE.format(now))
					.set("respCode", success ? "01" : "227")
					.set("respMsg", success ? "Txn Success"
							: "Your payment has been declined by your bank. Please contact your bank for any queries.")
					.set("tokenUsed", true);
				return this.mongo
					.findAndModify(Query.query(unpaid), update, FindAndModifyOptions.options().returnNew(true),
							PaytmOrder.class)
					.switchIfEmpty(Mono.error(() -> new PayRefusedException(PayRefusal.ALREADY_PAID)))
					.map(paid -> new Paid(paid, callbackFields(paid)));
			});
	}

	boolean validToken(PaytmOrder order, String txnToken, Instant now) {
		return order.txnToken() != null && order.txnToken().equals(txnToken) && !order.tokenUsed()
				&& order.tokenExpiresAt().isAfter(now);
	}

	/** Paytm's callback form: these fields, and the checksum over their values sorted by name. */
	Map<String, String> callbackFields(PaytmOrder order) {
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("BANKNAME", "Tijori Sandbox Bank");
		fields.put("BANKTXNID", order.bankTxnId());
		fields.put("CURRENCY", order.currency());
		fields.put("GATEWAYNAME", "TSBX");
		fields.put("MID", order.mid());
		fields.put("ORDERID", order.id());
		fields.put("PAYMENTMODE", order.paymentMode());
		fields.put("RESPCODE", order.respCode());
		fields.put("RESPMSG", order.respMsg());
		fields.put("STATUS", order.status());
		fields.put("TXNAMOUNT", DecimalAmounts.format(new Money(order.txnAmount(), order.currency())));
		fields.put("TXNDATE", order.txnDate());
		fields.put("TXNID", order.txnId());
		fields.put(PaytmChecksum.CHECKSUMHASH,
				PaytmChecksum.generate(PaytmChecksum.callbackParams(fields), this.properties.merchantKey()));
		return fields;
	}

	/**
	 * Refund apply, idempotent per {@code refId}: the refund is recorded first (the unique {@code _id} decides
	 * which of two concurrent requests makes it), then the amount is reserved on the order with a conditional
	 * increment that can never exceed what was paid, then the refund is settled. Processed at once.
	 */
	Mono<PaytmRefund> refund(String refId, String orderId, String txnId, long amount) {
		return this.mongo.findById(refId, PaytmRefund.class).flatMap(existing -> Mono.just(same(existing, orderId,
				txnId, amount))).switchIfEmpty(Mono.defer(() -> newRefund(refId, orderId, txnId, amount)));
	}

	/**
	 * A refId again: the same request answers its refund; other parameters answer 617 "Refund Already Raised".
	 * Paytm's pages say only that a duplicate refId is rejected (617 within ten minutes of the first request), so
	 * a real Paytm may answer 617 to the same request too; the adapter treats 617 as a refund in progress, which
	 * is right either way.
	 */
	private PaytmRefund same(PaytmRefund existing, String orderId, String txnId, long amount) {
		if (existing.orderId().equals(orderId) && existing.txnId().equals(txnId) && existing.amount() == amount) {
			return existing;
		}
		// answered, not stored: the refId keeps meaning its first request
		return new PaytmRefund(existing.refId(), orderId, txnId, amount, null, TXN_FAILURE, "617",
				"Refund Already Raised", existing.createdAt());
	}

	private Mono<PaytmRefund> newRefund(String refId, String orderId, String txnId, long amount) {
		return order(orderId).flatMap(order -> {
			if (!TXN_SUCCESS.equals(order.status()) || !txnId.equals(order.txnId())) {
				return Mono.just(failed(refId, orderId, txnId, amount, "600", "Invalid refund request"));
			}
			PaytmRefund pending = new PaytmRefund(refId, orderId, txnId, amount, digits(12), PENDING, "601",
					"Refund request was raised for this transaction. But it is pending state", Instant.now());
			return this.mongo.insert(pending)
				.flatMap(inserted -> reserve(order, amount).flatMap(reserved -> settle(inserted, reserved)))
				.onErrorResume(DuplicateKeyException.class, ex -> this.mongo.findById(refId, PaytmRefund.class)
					.map(existing -> same(existing, orderId, txnId, amount)));
		}).defaultIfEmpty(failed(refId, orderId, txnId, amount, "600", "Invalid refund request"));
	}

	private Mono<Boolean> reserve(PaytmOrder order, long amount) {
		Query room = Query.query(Criteria.where("_id")
			.is(order.id())
			.and("status")
			.is(TXN_SUCCESS)
			.and("refundedAmount")
			.lte(order.txnAmount() - amount));
		return this.mongo.findAndModify(room, new Update().inc("refundedAmount", amount), PaytmOrder.class)
			.map(before -> true)
			.defaultIfEmpty(false);
	}

	private Mono<PaytmRefund> settle(PaytmRefund refund, boolean reserved) {
		Update update = reserved
				? new Update().set("status", TXN_SUCCESS).set("resultCode", "10").set("resultMsg", "Refund Successful")
				: new Update().set("status", TXN_FAILURE)
					.set("resultCode", "619")
					.set("resultMsg", "Refund amount is more than the refundable amount");
		return this.mongo.findAndModify(Query.query(Criteria.where("_id").is(refund.refId()).and("status").is(PENDING)),
				update, FindAndModifyOptions.options().returnNew(true), PaytmRefund.class);
	}

	Mono<PaytmRefund> findRefund(String refId) {
		return this.mongo.findById(refId, PaytmRefund.class);
	}

	private static PaytmRefund failed(String refId, String orderId, String txnId, long amount, String code,
			String message) {
		return new PaytmRefund(refId, orderId, txnId, amount, null, TXN_FAILURE, code, message, Instant.now());
	}


	private static String token() {
		return UUID.randomUUID().toString().replace("-", "") + System.currentTimeMillis();
	}

	private static String digits(int n) {
		StringBuilder digits = new StringBuilder(n);
		ThreadLocalRandom random = ThreadLocalRandom.current();
		for (int i = 0; i < n; i++) {
			digits.append((char) ('0' + random.nextInt(10)));
		}
		return digits.toString();
	}

}
