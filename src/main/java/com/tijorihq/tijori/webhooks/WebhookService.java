package com.tijorihq.tijori.webhooks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import com.tijorihq.tijori.common.Hashes;
import com.tijorihq.tijori.common.TijoriException;
import com.tijorihq.tijori.gateway.GatewayRejectedException;
import com.tijorihq.tijori.gateway.PaymentGateway;
import com.tijorihq.tijori.gateway.PaymentGateways;

/**
 * Receives a webhook: signature first (over the raw bytes, constant time, before any parsing), then one insert
 * keyed by the event id (a duplicate is acknowledged and counted, never applied again), then the event is applied
 * within {@code applyBudget}. The stored event carries a short claim, so the processor leaves it alone while the
 * delivery works on it and picks it up when the delivery could not finish (gateway down, timeout, crash).
 */
@Service
class WebhookService {

	private static final Logger log = LoggerFactory.getLogger(WebhookService.class);

	private static final Duration MAX_BACKOFF = Duration.ofHours(1);

	private final WebhookEventStore store;

	private final RazorpayEvents events;

	private final PaymentGateway gateway;

	private final WebhookProperties properties;

	private final Counter duplicates;

	private final Counter rejected;

	private final MeterRegistry meters;

	WebhookService(WebhookEventStore store, RazorpayEvents events, PaymentGateways gateways,
			WebhookProperties properties, MeterRegistry meters) {
		this.store = store;
		this.events = events;
		// Razorpay webhooks: only ever about Razorpay orders
		this.gateway = gateways.of("razorpay");
		this.properties = properties;
		this.meters = meters;
		this.duplicates = Counter.builder("tijori.webhooks.duplicates")
			.description("Webhook deliveries of an event already received (acknowledged, not applied again)")
			.register(meters);
		this.rejected = Counter.builder("tijori.webhooks.rejected")
			.description("Webhook deliveries refused for a missing or wrong signature")
			.register(meters);
	}

	/** What became of one delivery. */
	record Receipt(String eventId, boolean duplicate) {
	}

	Mono<Receipt> receive(byte[] body, String signature, String eventIdHeader) {
		if (!this.gateway.verifyWebhookSignature(body, signature)) {
			this.rejected.increment();
			return Mono.error(TijoriException.badRequest("invalid_signature",
					"The X-Razorpay-Signature header is missing or does not match the body."));
		}
		if (eventIdHeader != null && !validEventId(eventIdHeader)) {
			return Mono.error(TijoriException.invalid("X-Razorpay-Event-Id", "must be 1 to 100 visible ASCII characters"));
		}
		String eventId = (eventIdHeader != null) ? eventIdHeader : "sha256:" + HexFormat.of().formatHex(Hashes.sha256(body));
		String text = new String(body, StandardCharsets.UTF_8);
		Instant now = Instant.now();
		WebhookEventDocument event = new WebhookEventDocument(eventId, this.gateway.name(), this.events.eventName(text),
				text, WebhookEventDocument.RECEIVED, 1, now, now.plus(this.properties.claim()), null, null, null);
		return this.store.insert(event)
			.flatMap(stored -> {
				this.meters.counter("tijori.webhooks.received", "event", String.valueOf(stored.event())).increment();
				return process(stored).timeout(this.properties.applyBudget())
					.onErrorResume(ex -> {
						log.info("Webhook {} stored; applying it continues in the background processor: {}",
								stored.id(), ex.toString());
						return Mono.empty();
					})
					.thenReturn(new Receipt(eventId, false));
			})
			.onErrorResume(DuplicateKeyException.class, ex -> {
				this.duplicates.increment();
				log.debug("Duplicate webhook {} acknowledged", eventId);
				return Mono.just(new Receipt(eventId, true));
			});
	}

	/**
	 * One attempt at applying a stored event. Gateway outages and other passing failures leave it
	 * {@code received} for a later attempt (backing off); an event that can never apply is {@code ignored}.
	 */
	Mono<Void> process(WebhookEventDocument event) {
		return this.events.apply(event.body())
			.flatMap(outcome -> {
				Instant now = Instant.now();
				this.meters.counter("tijori.webhooks.handled", "outcome", outcome.status()).increment();
				return this.store.handled(event.id(), outcome.status(), outcome.note(), now,
						now.plus(this.properties.retention()));
			})
			.onErrorResume(ex -> {
				Instant now = Instant.now();
				if (permanent(ex)) {
					log.warn("Webhook {} ({}) cannot be applied: {}", event.id(), event.event(), ex.toString());
					return this.store.handled(event.id(), WebhookEventDocument.IGNORED, ex.toString(), now,
							now.plus(this.properties.retention()));
				}
				if (event.attempts() >= this.properties.maxAttempts()) {
					log.error("Webhook {} ({}) still fails after {} attempts; left for an admin: {}", event.id(),
							event.event(), event.attempts(), ex.toString());
					return this.store.handled(event.id(), WebhookEventDocument.FAILED, ex.toString(), now,
							now.plus(this.properties.retention()));
				}
				return this.store.retryLater(event.id(), now.plus(backoff(event.attempts())), ex.toString());
			});
	}

	private Duration backoff(int attempts) {
		Duration delay = this.properties.retryInterval().multipliedBy(1L << Math.min(attempts - 1, 12));
		return delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay;
	}

	/** A payload Tijori cannot read, or a refusal by the gateway (unknown payment): retrying will not help. */
	private static boolean permanent(Throwable ex) {
		return ex instanceof IllegalArgumentException
				|| (ex instanceof GatewayRejectedException rejected && rejected.status() != HttpStatus.CONFLICT);
	}

	private static boolean validEventId(String id) {
		return !id.isEmpty() && id.length() <= 100 && id.chars().allMatch(c -> c > 32 && c < 127);
	}


}
