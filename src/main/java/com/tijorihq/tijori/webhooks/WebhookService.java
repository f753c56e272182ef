package com.tijorihq.tijori.webhooks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import com.tijorihq.tijori.checkout.PaymentService;
import com.tijorihq.tijori.checkout.RefundService;
import com.tijorihq.tijori.common.Hashes;
import com.tijorihq.tijori.common.LogContext;
import com.tijorihq.tijori.common.TijoriException;
import com.tijorihq.tijori.gateway.GatewayNotification;
import com.tijorihq.tijori.gateway.GatewayPayment;
import com.tijorihq.tijori.gateway.PaymentGateway;
import com.tijorihq.tijori.gateway.PaymentGateways;

/**
 * The one intake for every gateway's server-to-server messages. The gateway's adapter verifies the raw bytes
 * (signature first, before any parsing) and translates them; then one insert keyed by the event id it gave (a
 * duplicate is acknowledged and counted, never applied again), then the notification is applied within
 * {@code applyBudget}. The stored event carries a short claim, so the processor leaves it alone while the delivery
 * works on it and picks it up when the delivery could not finish (gateway down, timeout, crash).
 * <p>
 * A payment notification only names a payment: what is applied is what the gateway's API says of it now, so a
 * stale, reordered, replayed or forged message never applies anything the gateway does not confirm. A refund is
 * applied as reported (refund states only move forward).
 */
@Service
class WebhookService {

	private static final Logger log = LoggerFactory.getLogger(WebhookService.class);

	private static final Duration MAX_BACKOFF = Duration.ofHours(1);

	private final WebhookEventStore store;

	private final PaymentGateways gateways;

	private final PaymentService payments;

	private final RefundService refunds;

	private final WebhookProperties properties;

	private final Counter duplicates;

	private final Counter rejected;

	private final MeterRegistry meters;

	WebhookService(WebhookEventStore store, PaymentGateways gateways, PaymentService payments, RefundService refunds,
			WebhookProperties properties, MeterRegistry meters) {
		this.store = store;
		this.gateways = gateways;
		this.payments = payments;
		this.refunds = refunds;
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

	/** The gateway a message is addressed to, or a 404 when this server offers none by that name. */
	PaymentGateway gateway(String name) {
		return this.gateways.find(name).orElseThrow(() -> TijoriException.notFound("Payment gateway"));
	}

	Mono<Receipt> receive(PaymentGateway gateway, byte[] body, HttpHeaders headers) {
		Optional<GatewayNotification> verified;
		try {
			verified = gateway.verifyNotification(body, headers);
		}
		catch (IllegalArgumentException ex) {
			return Mono.error(TijoriException.badRequest("unreadable_notification",
					"The notification could not be read."));
		}
		if (verified.isEmpty()) {
			this.rejected.increment();
			return LogContext
				.log(() -> log.warn("Rejected a {} notification with a missing or invalid signature", gateway.name()))
				.then(Mono.error(TijoriException.badRequest("invalid_signature",
						"The notification's signature is missing or does not match its body.")));
		}
		GatewayNotification notification = verified.get();
		String eventId = notification.eventId();
		Instant now = Instant.now();
		StoredNotification toApply = StoredNotification.of(notification);
		// a gateway's event id may come from a header, which a replay can change; the body it signed cannot
		String contentHash = gateway.name() + ":" + java.util.HexFormat.of().formatHex(Hashes.sha256(body));
		WebhookEventDocument event = (toApply != null)
				? WebhookEventDocument.of(eventId, gateway.name(), notification.event(), text(body), toApply,
						WebhookEventDocument.RECEIVED, 1, now, now.plus(this.properties.claim()), null, null, null,
						contentHash)
				: WebhookEventDocument.of(eventId, gateway.name(), notification.event(), text(body), null,
						WebhookEventDocument.IGNORED, 0, now, null, now, notification.ignoredBecause(),
						now.plus(this.properties.retention()), contentHash);
		return this.store.insert(event).flatMap(stored -> {
			this.meters.counter("tijori.webhooks.received", "event", String.valueOf(stored.event())).increment();
			if (toApply == null) {
				this.meters.counter("tijori.webhooks.handled", "outcome", WebhookEventDocument.IGNORED).increment();
				return Mono.just(new Receipt(eventId, false));
			}
			return process(stored).timeout(this.properties.applyBudget())
				.onErrorResume(ex -> LogContext.log(() -> log.info(
						"Webhook {} stored; applying it continues in the background processor: {}", stored.id(),
						ex.toString())))
				.thenReturn(new Receipt(eventId, false));
		}).onErrorResume(DuplicateKeyException.class, ex -> {
			this.duplicates.increment();
			return LogContext.log(() -> log.debug("Duplicate webhook {} acknowledged", eventId))
				.thenReturn(new Receipt(eventId, true));
		});
	}

	/**
	 * One attempt at applying a stored event. Gateway outages and other passing failures leave it
	 * {@code received} for a later attempt (backing off); an event that can never apply is {@code ignored}.
	 */
	Mono<Void> process(WebhookEventDocument event) {
		return Mono.defer(() -> apply(event)).then(Mono.defer(() -> {
			Instant now = Instant.now();
			this.meters.counter("tijori.webhooks.handled", "outcome", WebhookEventDocument.APPLIED).increment();
			return this.store.handled(event.id(), WebhookEventDocument.APPLIED, null, now,
					now.plus(this.properties.retention()));
		})).onErrorResume(ex -> LogContext.defer(() -> {
			Instant now = Instant.now();
			if (permanent(ex)) {
				log.warn("Webhook {} ({}) cannot be applied: {}", event.id(), event.event(), ex.toString());
				this.meters.counter("tijori.webhooks.handled", "outcome", WebhookEventDocument.IGNORED).increment();
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
		}));
	}

	/**
	 * Payments: what the gateway says now of the payments the notice names, applied like any other report of
	 * the gateway's (captured first: once the order is paid, failed attempts change nothing). Errors propagate,
	 * so an unanswered status call leaves the event for a later attempt.
	 */
	private Mono<Void> apply(WebhookEventDocument event) {
		StoredNotification notification = event.notification();
		if (notification == null) {
			return Mono.error(new IllegalArgumentException("nothing to apply"));
		}
		if (StoredNotification.REFUND.equals(notification.kind())) {
			return this.refunds.applyGatewayRefund(notification.refund(), notification.gatewayOrderId());
		}
		PaymentGateway gateway = this.gateways.of(event.gateway());
		return gateway.confirm(notification.payment(gateway.name()))
			.flatMapMany(found -> Flux.fromIterable(capturedFirst(found)))
			.concatMap(payment -> this.payments.applyGatewayPayment(gateway.name(), payment))
			.then();
	}

	private static List<GatewayPayment> capturedFirst(List<GatewayPayment> payments) {
		List<GatewayPayment> sorted = new ArrayList<>(payments);
		sorted.sort(Comparator.comparingInt((GatewayPayment p) -> switch (p.status()) {
			case CAPTURED, REFUNDED -> 0;
			case AUTHORIZED -> 1;
			default -> 2;
		}));
		return sorted;
	}

	private Duration backoff(int attempts) {
		Duration delay = this.properties.retryInterval().multipliedBy(1L << Math.min(attempts - 1, 12));
		return delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay;
	}

	/**
	 * A payload Tijori cannot use, or a refusal (unknown payment, payment of another order): retrying will not
	 * help. Conflicts, throttling and outages will pass.
	 */
	private static boolean permanent(Throwable ex) {
		if (ex instanceof IllegalArgumentException) {
			return true;
		}
		return ex instanceof TijoriException refused && refused.status().is4xxClientError()
				&& refused.status() != HttpStatus.CONFLICT && refused.status() != HttpStatus.TOO_MANY_REQUESTS;
	}

	private static String text(byte[] body) {
		return new String(body, StandardCharsets.UTF_8);
	}

}
