package com.tijorihq.tijori.webhooks;

import java.time.Instant;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One received webhook, keyed by its event id (Razorpay's {@code X-Razorpay-Event-Id}, or the SHA-256 of the body
 * when absent): the key is the deduplication.
 *
 * @param body the raw body as received (its signature was checked on these bytes)
 * @param status {@code received} until handled, then {@code applied}, {@code ignored} (nothing of Tijori's to
 *        change, or not usable) or {@code failed} (gave up after many attempts)
 * @param nextAttemptAt while {@code received}: nobody else works on it before then
 * @param expireAt set once handled: the TTL index (and the sweeper) delete it then
 */
@Document(WebhookEventDocument.COLLECTION)
record WebhookEventDocument(@Id String id, String gateway, String event, String body, String status, int attempts,
		Instant receivedAt, Instant nextAttemptAt, Instant handledAt, String note, Instant expireAt) {

	static final String COLLECTION = "webhook_events";

	static final String RECEIVED = "received";

	static final String APPLIED = "applied";

	static final String IGNORED = "ignored";

	static final String FAILED = "failed";

}
