package com.tijorihq.tijori.webhooks;

import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Applies stored events whose delivery could not finish applying them (gateway down, budget exceeded, crash
 * between the insert and the apply): nothing acknowledged to the gateway is ever lost. Each event is claimed with
 * a conditional write first, so replicas (and a delivery still working on it) never apply it at the same time.
 * Also deletes handled events past their retention, since the embedded MongoDB ignores TTL indexes.
 */
@Component
class WebhookProcessor {

	private static final Logger log = LoggerFactory.getLogger(WebhookProcessor.class);

	private static final int BATCH = 100;

	private final WebhookEventStore store;

	private final WebhookService service;

	private final WebhookProperties properties;

	WebhookProcessor(WebhookEventStore store, WebhookService service, WebhookProperties properties) {
		this.store = store;
		this.service = service;
		this.properties = properties;
	}

	@Scheduled(fixedDelayString = "${tijori.webhooks.retry-interval:15s}", initialDelay = 10_000)
	Mono<Void> scheduled() {
		// deferred: Spring subscribes the one Mono this method returns on every tick, so the clock must be read
		// at subscription, not when the Mono is built
		return Mono.defer(() -> processDue().then(this.store.deleteExpired(Instant.now()))).onErrorResume(ex -> {
			log.warn("Webhook processing round failed, will retry: {}", ex.toString());
			return Mono.empty();
		}).then();
	}

	/** Applies every event that is due now; emits how many were attempted. */
	Mono<Long> processDue() {
		Instant now = Instant.now();
		return this.store.due(now, BATCH)
			.concatMap(event -> this.store.claim(event, now.plus(this.properties.claim()))
				.flatMap(claimed -> this.service.process(claimed).thenReturn(claimed)))
			.count();
	}

}
