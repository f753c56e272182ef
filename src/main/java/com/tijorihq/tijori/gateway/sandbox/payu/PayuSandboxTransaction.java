package com.tijorihq.tijori.gateway.sandbox.payu;

import java.util.List;
import java.util.Map;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One PayU transaction as the sandbox keeps it: the form the merchant posted, what the buyer did and the
 * refunds against it. Changed only by conditional single-document updates ({@link PayuSandboxStore}).
 *
 * @param form the merchant's form fields (key, amount, productinfo, udfs, surl, furl, …) without the hash
 * @param status {@code pending} until the buyer pays ({@code success}) or fails ({@code failure})
 * @param amount what PayU records and reports as paid: the form's amount, or a test's override
 * @param paid {@code amount} in paise once successful; refunds never exceed it
 * @param refunded paise refunded so far
 */
@Document(PayuSandboxTransaction.COLLECTION)
record PayuSandboxTransaction(@Id String id, String mihpayid, Map<String, String> form, String requestHash,
		String status, String amount, long paid, long refunded, String addedon, String bankRefNum,
		List<Refund> refunds, long createdAt) {

	static final String COLLECTION = "sandbox_payu_transactions";

	/** A refund request; the sandbox settles it at once, so {@code check_action_status} says success. */
	record Refund(String requestId, String token, long amount, String amountText, long createdAt) {
	}

}
