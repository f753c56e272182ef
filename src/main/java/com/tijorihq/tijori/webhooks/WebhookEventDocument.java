package com.tijorihq.tijori.webhooks;

import java.time.Instant;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

import com.tijorihq.tijori.common.DueKey;

/**
 * One received webhook or server-to-server notification, keyed by the event id its gateway's adapter gave it (the
 * gateway's own event id, or a hash of what the message reports) and by the hash of its body: either key
 * deduplicates.
 *
 * @param body the raw body as received (its signature was checked on these bytes), for audit only
 * @param notification what to apply, already verified and translated; null for a message only kept
 * @param status {@code received} until handled, then {@code applied}, {@code ignored} (nothing of Tijori's to
 *        change, or not usable) or {@code failed} (gave up after many attempts)
 * @param nextAttemptAt while {@code received}: nobody else works on it before then
 * @param expireAt set once handled: the TTL index (and the sweeper) delete it then
 * @param contentHash the gateway and the SHA-256 of the body, unique too: the same body sent again under a new
 *        event id (a replay with a fresh event-id header) is a duplicate as well; null in events stored before
 * @param retryDue while {@code received}: when the processor looks at it next ({@link DueKey}, so the processor
 *        finds due events through an index of only the events waiting)
 * @param expireDue once handled: when it is deleted ({@link DueKey}; the embedded server has no TTL index)
 */
@Document(WebhookEventDocument.COLLECTION)
record WebhookEventDocument(@Id String id, String gateway, String event, String body,
		StoredNotification notification, String status, int attempts,
		Instant receivedAt, Instant nextAttemptAt, Instant handledAt, String note, Instant expireAt,
		String contentHash, String retryDue, String expireDue) {

	static final String COLLECTION = "webhook_events";

	static final String RECEIVED = "received";

	static final String APPLIED = "applied";

	static final String IGNORED = "ignored";

	static final String FAILED = "failed";

	/** A new event, due for the processor at {@code nextAttemptAt} (if it waits for one) or expiring at expireAt. */
	static WebhookEventDocument of(String id, String gateway, String event, String body,
			StoredNotification notification, String status, int attempts, Instant receivedAt, Instant nextAttemptAt,
			Instant handledAt, String note, Instant expireAt, String contentHash) {
		return new WebhookEventDocument(id, gateway, event, body, notification, status, attempts, receivedAt,
				nextAttemptAt, handledAt, note, expireAt, contentHash,
				(nextAttemptAt != null) ? DueKey.at(nextAttemptAt, id) : null,
				(expireAt != null) ? DueKey.at(expireAt, id) : null);
	}

}
