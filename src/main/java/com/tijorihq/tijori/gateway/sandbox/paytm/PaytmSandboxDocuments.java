package com.tijorihq.tijori.gateway.sandbox.paytm;

import java.time.Instant;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/** What the sandbox remembers, as Paytm would: one transaction per order id, refunds by the merchant's refId. */
final class PaytmSandboxDocuments {

	static final String ORDERS = "sandbox_paytm_orders";

	static final String REFUNDS = "sandbox_paytm_refunds";

	static final String CREATED = "CREATED";

	static final String TXN_SUCCESS = "TXN_SUCCESS";

	static final String TXN_FAILURE = "TXN_FAILURE";

	static final String PENDING = "PENDING";

	private PaytmSandboxDocuments() {
	}

	/**
	 * An initiated order and, once paid, its transaction. Amounts in paise.
	 *
	 * @param status {@code CREATED} until the buyer pays, then {@code TXN_SUCCESS} or {@code TXN_FAILURE}
	 * @param txnAmount what the transaction was for (the order's amount unless the pay request overrode it)
	 */
	@Document(ORDERS)
	record PaytmOrder(@Id String id, String mid, long amount, String currency, String callbackUrl, String custId,
			String websiteName, String txnToken, Instant tokenExpiresAt, boolean tokenUsed, String status,
			String txnId, String bankTxnId, long txnAmount, String paymentMode, String txnDate, String respCode,
			String respMsg, long refundedAmount, Instant createdAt) {
	}

	/** A refund, keyed by the merchant's {@code refId} (which makes a repeated request answer the same). */
	@Document(REFUNDS)
	record PaytmRefund(@Id String refId, String orderId, String txnId, long amount, String refundId, String status,
			String resultCode, String resultMsg, Instant createdAt) {
	}

}
