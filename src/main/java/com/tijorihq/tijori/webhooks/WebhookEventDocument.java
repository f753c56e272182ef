package com.tijorihq.tijori.webhooks;

import java.time.Instant;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

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
 */
@Document(WebhookEventDocument.COLLECTION)
record WebhookEventDocument(@Id String id, String gateway, String event, String body,
		StoredNotification notification, String status, int attempts,
		Instant receivedAt, Instant nextAttemptAt, Instant handledAt, String note, Instant expireAt,
		String contentHash) {

	static final String COLLECTION = "webhook_events";

	static final String RECEIVED = "received";

	static final String APPLIED = "applied";

	static final String IGNORED = "ignored";

	static final String FAILED = "failed";

}
