package com.tijorihq.tijori.gateway.sandbox.payu;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;

import com.tijorihq.tijori.common.Money;
import com.tijorihq.tijori.gateway.DecimalAmounts;
import com.tijorihq.tijori.gateway.payu.PayuHash;

/**
 * What the sandbox's PayU does: accepts a signed payment form, records the buyer's outcome and signs the return,
 * and answers {@code postservice} commands with PayU's JSON ({@code status} 1/0, {@code msg}, ...). Every API
 * call's hash is checked as PayU would.
 */
class PayuSandboxLedger {

	/** India Standard Time without the tz database (no file read on an event-loop thread). */
	private static final ZoneOffset IST = ZoneOffset.ofHoursMinutes(5, 30);

	private static final DateTimeFormatter ADDED_ON = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

	private static final List<String> MANDATORY = List.of("key", "txnid", "amount", "productinfo", "firstname",
			"email", "phone", "surl", "furl", "hash");

	private static final List<String> KEPT = List.of("key", "txnid", "amount", "productinfo", "firstname", "email",
			"phone", "surl", "furl", "udf1", "udf2", "udf3", "udf4", "udf5");

	/** PayU's refund error code for a token it already has. */
	static final int DUPLICATE_TOKEN = 106;

	private final PayuSandboxStore store;

	private final PayuSandboxProperties properties;

	PayuSandboxLedger(PayuSandboxStore store, PayuSandboxProperties properties) {
		this.store = store;
		this.properties = properties;
	}

	String key() {
		return this.properties.key();
	}

	/** The merchant's form arrives through the buyer's browser: checked like PayU checks it, then stored. */
	Mono<PayuSandboxTransaction> open(Map<String, String> form) {
		return Mono.defer(() -> {
			if (!this.properties.key().equals(form.get("key"))) {
				return refuse(HttpStatus.BAD_REQUEST, "invalid_key", "Invalid merchant key.");
			}
			for (String name : MANDATORY) {
				String value = form.get(name);
				if (value == null || value.isBlank()) {
					return refuse(HttpStatus.BAD_REQUEST, "missing_param", "Mandatory param " + name + " is missing.");
				}
			}
			if (form.get("txnid").length() > 25) {
				return refuse(HttpStatus.BAD_REQUEST, "invalid_txnid", "The txnid is longer than 25 characters.");
			}
			if (paise(form.get("amount")) <= 0) {
				return refuse(HttpStatus.BAD_REQUEST, "invalid_amount", "Invalid amount.");
			}
			if (!PayuHash.verifyRequest(form, this.properties.salt())) {
				return refuse(HttpStatus.BAD_REQUEST, "invalid_hash",
						"Transaction failed due to incorrectly calculated hash parameter.");
			}
			Map<String, String> kept = new LinkedHashMap<>();
			KEPT.forEach(name -> kept.put(name, form.getOrDefault(name, "")));
			String txnid = form.get("txnid");
			PayuSandboxTransaction transaction = new PayuSandboxTransaction(txnid, digits(18), kept,
					form.get("hash").toLowerCase(java.util.Locale.ROOT), "pending", form.get("amount"), 0, 0,
					now(), digits(12), List.of(), System.currentTimeMillis());
			return this.store.insert(transaction)
				.onErrorResume(DuplicateKeyException.class, ex -> this.store.find(txnid)
					// the buyer reloading the page posts the very same form again
					.filter(existing -> "pending".equals(existing.status())
							&& existing.requestHash().equals(transaction.requestHash()))
					.switchIfEmpty(refuse(HttpStatus.BAD_REQUEST, "duplicate_txnid",
							"This transaction id was already used.")));
		});
	}

	/**
	 * The buyer pays or fails. {@code amount}, when given, is what PayU records instead of the form's amount (a
	 * test's stand-in for a mismatch). Paying a decided transaction again with the same outcome returns the same
	 * signed return (a reloaded page); with the other outcome it is refused.
	 */
	Mono<Result> pay(String txnid, boolean success, String amount) {
		String outcome = success ? "success" : "failure";
		return this.store.find(txnid)
			.switchIfEmpty(refuse(HttpStatus.NOT_FOUND, "not_found", "No such sandbox transaction."))
			.flatMap(transaction -> {
				if (!"pending".equals(transaction.status())) {
					return Mono.just(transaction);
				}
				String recorded = (amount != null) ? amount : transaction.amount();
				long paid = success ? paise(recorded) : 0;
				return this.store.complete(txnid, outcome, recorded, paid, now())
					.switchIfEmpty(Mono.defer(() -> this.store.find(txnid)));
			})
			.flatMap(transaction -> {
				if (!outcome.equals(transaction.status())) {
					return refuse(HttpStatus.CONFLICT, "already_decided",
							"This transaction already ended with " + transaction.status() + ".");
				}
				String callback = transaction.form().get(success ? "surl" : "furl");
				return Mono.just(new Result(callback, returnFields(transaction)));
			});
	}

	/** {@code POST /merchant/postservice?form=2}: key and hash first, then the command. */
	Mono<Map<String, Object>> postservice(Map<String, String> form) {
		String key = form.get("key");
		String command = form.getOrDefault("command", "");
		String var1 = form.getOrDefault("var1", "");
		if (!this.properties.key().equals(key)) {
			return Mono.just(answer(0, "Invalid key"));
		}
		if (!PayuHash.verifyApi(key, command, var1, this.properties.salt(), form.get("hash"))) {
			return Mono.just(answer(0, "Invalid Hash."));
		}
		return switch (command) {
			case "verify_payment" -> verifyPayment(var1);
			case "cancel_refund_transaction" -> refund(var1, form.get("var2"), form.get("var3"));
			case "check_action_status" -> "payuid".equals(form.get("var2")) ? paymentActions(var1) : actionStatus(var1);
			default -> Mono.just(answer(0, "Invalid command"));
		};
	}

	private Mono<Map<String, Object>> verifyPayment(String var1) {
		List<String> txnids = List.of(var1.split("\\|"));
		return Flux.fromIterable(txnids)
			.concatMap(txnid -> this.store.find(txnid)
				.map(transaction -> Map.entry(txnid, (Object) details(transaction)))
				.defaultIfEmpty(Map.entry(txnid, Map.of("mihpayid", "Not Found", "status", "Not Found"))))
			.collectList()
			.map(entries -> {
				Map<String, Object> details = new LinkedHashMap<>();
				long found = 0;
				for (Map.Entry<String, Object> entry : entries) {
					details.put(entry.getKey(), entry.getValue());
					found += (entry.getValue() instanceof Map<?, ?> map && !"Not Found".equals(map.get("status"))) ? 1
							: 0;
				}
				Map<String, Object> body = answer(found > 0 ? 1 : 0,
						found + " out of " + txnids.size() + " Transactions Fetched Successfully");
				body.put("transaction_details", details);
				return body;
			});
	}

	private Mono<Map<String, Object>> refund(String mihpayid, String token, String amountText) {
		if (token == null || token.isBlank()) {
			return Mono.just(answer(0, "Token is empty"));
		}
		long amount;
		try {
			amount = DecimalAmounts.parse(amountText, Money.INR).amount();
		}
		catch (RuntimeException ex) {
			return Mono.just(answer(0, "Invalid amount"));
		}
		if (amount <= 0) {
			return Mono.just(answer(0, "Invalid amount"));
		}
		return this.store.byMihpayid(mihpayid).flatMap(transaction -> {
			PayuSandboxTransaction.Refund existing = refundByToken(transaction, token);
			if (existing != null) {
				return Mono.just(repeat(transaction));
			}
			if (!"success".equals(transaction.status())) {
				return Mono.just(answer(0, "Refund FAILED - the transaction is not successful"));
			}
			PayuSandboxTransaction.Refund refund = new PayuSandboxTransaction.Refund(digits(9), token, amount,
					amountText.trim(), System.currentTimeMillis());
			return this.store.addRefund(transaction.id(), refund, transaction.paid() - amount)
				.map(updated -> queued(updated, refund))
				.switchIfEmpty(Mono.defer(() -> this.store.find(transaction.id()).map(current -> {
					PayuSandboxTransaction.Refund raced = refundByToken(current, token);
					return (raced != null) ? repeat(current)
							: answer(0, "Refund FAILED - the amount is more than what is left to refund");
				})));
		}).switchIfEmpty(Mono.fromSupplier(() -> answer(0, "Invalid mihpayid: no such transaction")));
	}

	private Mono<Map<String, Object>> actionStatus(String requestId) {
		return this.store.byRefund(requestId).map(transaction -> {
			PayuSandboxTransaction.Refund refund = transaction.refunds()
				.stream()
				.filter(r -> r.requestId().equals(requestId))
				.findFirst()
				.orElseThrow();
			Map<String, Object> body = answer(1, "1 out of 1 Transactions Fetched Successfully");
			body.put("transaction_details", Map.of(requestId, Map.of(requestId, action(transaction, refund))));
			return body;
		}).switchIfEmpty(Mono.fromSupplier(() -> answer(0, "No action status found for this request id")));
	}

	/** {@code check_action_status} with {@code var2=payuid}: every refund of one transaction, by its mihpayid. */
	private Mono<Map<String, Object>> paymentActions(String mihpayid) {
		return this.store.byMihpayid(mihpayid)
			.filter(transaction -> transaction.refunds() != null && !transaction.refunds().isEmpty())
			.map(transaction -> {
				Map<String, Object> actions = new LinkedHashMap<>();
				transaction.refunds().forEach(refund -> actions.put(refund.requestId(), action(transaction, refund)));
				Map<String, Object> body = answer(1, actions.size() + " Actions Fetched Successfully");
				body.put("transaction_details", Map.of(mihpayid, actions));
				return body;
			})
			.switchIfEmpty(Mono.fromSupplier(() -> answer(0, "No action status found for this PayU id")));
	}

	private static Map<String, Object> action(PayuSandboxTransaction transaction, PayuSandboxTransaction.Refund refund) {
		Map<String, Object> action = new LinkedHashMap<>();
		action.put("mihpayid", transaction.mihpayid());
		action.put("request_id", refund.requestId());
		action.put("bank_ref_num", transaction.bankRefNum());
		action.put("amount", refund.amountText());
		action.put("token", refund.token());
		action.put("action", "refund");
		// the sandbox's bank settles at once: a queued refund is reported processed
		action.put("status", "success");
		return action;
	}

	private static PayuSandboxTransaction.Refund refundByToken(PayuSandboxTransaction transaction, String token) {
		List<PayuSandboxTransaction.Refund> refunds = (transaction.refunds() != null) ? transaction.refunds()
				: List.of();
		return refunds.stream().filter(r -> token.equals(r.token())).findFirst().orElse(null);
	}

	/**
	 * The same token again is PayU's duplicate refusal ("Token already exists", error code 106), whatever the
	 * amount: the token keeps meaning its first refund, which {@code check_action_status} reports.
	 */
	private static Map<String, Object> repeat(PayuSandboxTransaction transaction) {
		Map<String, Object> body = answer(0, "Token already exists");
		body.put("error_code", DUPLICATE_TOKEN);
		body.put("mihpayid", transaction.mihpayid());
		return body;
	}

	private static Map<String, Object> queued(PayuSandboxTransaction transaction, PayuSandboxTransaction.Refund refund) {
		Map<String, Object> body = answer(1, "Refund Request Queued");
		body.put("request_id", refund.requestId());
		body.put("bank_ref_num", null);
		body.put("mihpayid", transaction.mihpayid());
		body.put("error_code", 102);
		return body;
	}

	private static Map<String, Object> details(PayuSandboxTransaction transaction) {
		Map<String, String> form = transaction.form();
		boolean success = "success".equals(transaction.status());
		boolean failure = "failure".equals(transaction.status());
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("mihpayid", transaction.mihpayid());
		details.put("request_id", "");
		details.put("bank_ref_num", success ? transaction.bankRefNum() : null);
		details.put("amt", transaction.amount());
		details.put("transaction_amount", transaction.amount());
		details.put("txnid", transaction.id());
		details.put("additional_charges", "0.00");
		details.put("productinfo", form.get("productinfo"));
		details.put("firstname", form.get("firstname"));
		details.put("bankcode", "CC");
		for (int i = 1; i <= 5; i++) {
			details.put("udf" + i, form.getOrDefault("udf" + i, ""));
		}
		details.put("field9", success ? "Transaction Completed Successfully"
				: failure ? "Bank was unable to authenticate." : "");
		details.put("error_code", success ? "E000" : failure ? "E308" : "");
		details.put("addedon", transaction.addedon());
		details.put("payment_source", "payu");
		details.put("card_type", "VISA");
		details.put("error_Message", success ? "NO ERROR" : failure ? "Bank was unable to authenticate." : "");
		details.put("net_amount_debit", success ? transaction.amount() : "0");
		details.put("disc", "0.00");
		details.put("mode", "CC");
		details.put("PG_TYPE", "CC-PG");
		details.put("card_no", "XXXXXXXXXXXX1111");
		details.put("status", success ? "success" : failure ? "failure" : "pending");
		details.put("unmappedstatus", success ? "captured" : failure ? "failed" : "initiated");
		return details;
	}

	/** What PayU posts to surl/furl, signed with the reverse hash. */
	private Map<String, String> returnFields(PayuSandboxTransaction transaction) {
		Map<String, String> form = transaction.form();
		boolean success = "success".equals(transaction.status());
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("mihpayid", transaction.mihpayid());
		fields.put("mode", "CC");
		fields.put("status", transaction.status());
		fields.put("unmappedstatus", success ? "captured" : "failed");
		fields.put("key", form.get("key"));
		fields.put("txnid", transaction.id());
		fields.put("amount", transaction.amount());
		fields.put("addedon", transaction.addedon());
		fields.put("productinfo", form.get("productinfo"));
		fields.put("firstname", form.get("firstname"));
		fields.put("lastname", "");
		fields.put("email", form.get("email"));
		fields.put("phone", form.get("phone"));
		for (int i = 1; i <= 5; i++) {
			fields.put("udf" + i, form.getOrDefault("udf" + i, ""));
		}
		fields.put("field9", success ? "Transaction Completed Successfully" : "Bank was unable to authenticate.");
		fields.put("PG_TYPE", "CC-PG");
		fields.put("bank_ref_num", success ? transaction.bankRefNum() : "");
		fields.put("bankcode", "CC");
		fields.put("error", success ? "E000" : "E308");
		fields.put("error_Message", success ? "No Error" : "Bank was unable to authenticate.");
		fields.put("net_amount_debit", success ? transaction.amount() : "0");
		fields.put("hash", PayuHash.response(fields, this.properties.salt()));
		return fields;
	}

	private static long paise(String amount) {
		try {
			return DecimalAmounts.parse(amount, Money.INR).amount();
		}
		catch (RuntimeException ex) {
			throw new PayuSandboxException(HttpStatus.BAD_REQUEST, "invalid_amount", "Invalid amount.");
		}
	}

	private static Map<String, Object> answer(int status, String msg) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("status", status);
		body.put("msg", msg);
		return body;
	}

	private static <T> Mono<T> refuse(HttpStatus status, String code, String reason) {
		return Mono.error(new PayuSandboxException(status, code, reason));
	}

	private static String now() {
		return LocalDateTime.now(IST).format(ADDED_ON);
	}

	private static String digits(int n) {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		StringBuilder digits = new StringBuilder().append(1 + random.nextInt(9));
		for (int i = 1; i < n; i++) {
			digits.append(random.nextInt(10));
		}
		return digits.toString();
	}

	/** Where the browser goes next, and the signed fields it carries. */
	record Result(String callbackUrl, Map<String, String> fields) {
	}

}
