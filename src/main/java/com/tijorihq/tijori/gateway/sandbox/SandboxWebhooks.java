package com.tijorihq.tijori.gateway.sandbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

import com.tijorihq.tijori.common.Ids;
import com.tijorihq.tijori.gateway.Hmac;
import com.tijorihq.tijori.gateway.sandbox.SandboxDocuments.SandboxEvent;

/**
 * Signed webhooks, delivered at least once through an outbox in MongoDB: events are stored with the payment
 * change, and a poller that lives as long as the application delivers what is due with a non-blocking
 * {@link WebClient}, retrying with exponential backoff and giving up quietly after {@code maxAttempts} (until the
 * app's webhook endpoint exists, that is the normal fate of every event). Like Razorpay: body signed with the
 * webhook secret in {@code X-Razorpay-Signature}, event id in {@code X-Razorpay-Event-Id}, unordered, and — with
 * the faults on — duplicated or reversed.
 */
class SandboxWebhooks implements SmartLifecycle, ApplicationListener<WebServerInitializedEvent> {

	private static final Logger log = LoggerFactory.getLogger(SandboxWebhooks.class);

	static final String DEFAULT_PATH = "/api/webhooks/razorpay";

	private static final int BATCH = 20;

	private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

	private final SandboxStore store;

	private final SandboxProperties properties;

	private final SandboxFaults faults;

	private final ObjectMapper objectMapper;

	private final WebClient webClient;

	private volatile String selfUrl;

	private volatile Disposable poller;

	SandboxWebhooks(SandboxStore store, SandboxProperties properties, SandboxFaults faults, ObjectMapper objectMapper,
			WebClient.Builder webClients) {
		this.store = store;
		this.properties = properties;
		this.faults = faults;
		this.objectMapper = objectMapper;
		this.webClient = webClients.build();
	}

	/** One webhook to send: its event name and {@code payload}. */
	record Event(String event, Map<String, Object> payload) {
	}

	/**
	 * Stores the events for delivery, with the duplicate / out-of-order faults applied. When delivery is off
	 * they are stored as skipped, so turning it on later does not flood the app with old events.
	 */
	Mono<Void> enqueue(List<Event> events) {
		if (events.isEmpty()) {
			return Mono.empty();
		}
		boolean deliver = this.faults.webhooks();
		List<Event> ordered = new ArrayList<>(events);
		if (this.faults.outOfOrderWebhooks()) {
			Collections.reverse(ordered);
		}
		int copies = this.faults.duplicateWebhooks() ? 2 : 1;
		Instant now = Instant.now();
		long base = now.toEpochMilli() * 1000;
		List<SandboxEvent> rows = new ArrayList<>();
		for (int i = 0; i < ordered.size(); i++) {
			Event event = ordered.get(i);
			String eventId = "evt_" + Ids.random(14);
			String body = envelope(event, now);
			for (int copy = 0; copy < copies; copy++) {
				rows.add(new SandboxEvent(Ids.next("whd_"), eventId, event.event(), body,
						deliver ? "pending" : "skipped", 0, now, base + i * copies + copy, now));
			}
		}
		return this.store.insertEvents(rows).then();
	}

	private String envelope(Event event, Instant now) {
		Map<String, Object> envelope = new LinkedHashMap<>();
		envelope.put("entity", "event");
		envelope.put("account_id", "acc_TijoriSandbox1");
		envelope.put("event", event.event());
		envelope.put("contains", List.copyOf(event.payload().keySet()));
		envelope.put("payload", event.payload());
		envelope.put("created_at", now.getEpochSecond());
		try {
			return this.objectMapper.writeValueAsString(envelope);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("Cannot write webhook body", ex);
		}
	}

	String url() {
		String configured = this.properties.webhooks().url();
		if (configured != null && !configured.isBlank()) {
			return configured;
		}
		return this.selfUrl;
	}

	@Override
	public void onApplicationEvent(WebServerInitializedEvent event) {
		if (event.getApplicationContext().getServerNamespace() == null) {
			this.selfUrl = "http://127.0.0.1:" + event.getWebServer().getPort() + DEFAULT_PATH;
		}
	}

	@Override
	public void start() {
		Duration every = this.properties.webhooks().pollInterval();
		this.poller = Flux.interval(every, every)
			.onBackpressureDrop()
			.concatMap(tick -> deliverDue().onErrorResume(ex -> {
				log.info("Sandbox webhook delivery round failed: {}", ex.toString());
				return Mono.empty();
			}), 1)
			// held until stop(); each round handles its own errors, so this only reports a broken poller
			.subscribe(round -> {
			}, ex -> log.error("Sandbox webhook poller stopped", ex));
	}

	@Override
	public void stop() {
		Disposable current = this.poller;
		if (current != null) {
			current.dispose();
		}
	}

	@Override
	public boolean isRunning() {
		return this.poller != null && !this.poller.isDisposed();
	}

	Mono<Void> deliverDue() {
		String url = url();
		if (!this.faults.webhooks() || url == null) {
			return Mono.empty();
		}
		Instant now = Instant.now();
		Instant lease = now.plus(this.properties.webhooks().timeout().multipliedBy(2));
		return this.store.dueEvents(now, BATCH)
			.concatMap(event -> this.store.claim(event, now, lease)
				.filter(Boolean::booleanValue)
				.flatMap(claimed -> send(url, event)))
			.then();
	}

	private Mono<Void> send(String url, SandboxEvent event) {
		byte[] body = event.body().getBytes(StandardCharsets.UTF_8);
		String signature = Hmac.sha256Hex(this.properties.webhookSecret(), body);
		int attempt = event.attempts() + 1;
		return this.webClient.post()
			.uri(url)
			.contentType(MediaType.APPLICATION_JSON)
			.header("X-Razorpay-Signature", signature)
			.header("X-Razorpay-Event-Id", event.eventId())
			.header("User-Agent", "Razorpay-Webhook/v1 (Tijori sandbox)")
			.bodyValue(body)
			.exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode()))
			.timeout(this.properties.webhooks().timeout())
			.map(status -> status.is2xxSuccessful() ? "" : "HTTP " + status.value())
			.onErrorResume(ex -> Mono.just(ex.toString()))
			.flatMap(why -> {
				if (!why.isEmpty()) {
					return failed(event, attempt, why);
				}
				log.debug("Sandbox webhook {} {} delivered (attempt {})", event.event(), event.eventId(), attempt);
				return this.store.delivered(event, attempt);
			});
	}

	private Mono<Void> failed(SandboxEvent event, int attempt, String why) {
		boolean giveUp = attempt >= this.properties.webhooks().maxAttempts();
		Duration backoff = this.properties.webhooks().backoff().multipliedBy(1L << Math.min(attempt - 1, 20));
		if (backoff.compareTo(MAX_BACKOFF) > 0) {
			backoff = MAX_BACKOFF;
		}
		long jitter = ThreadLocalRandom.current().nextLong(backoff.toMillis() / 4 + 1);
		if (giveUp) {
			log.info("Sandbox webhook {} {} not accepted after {} attempts ({}); giving up", event.event(),
					event.eventId(), attempt, why);
		}
		else {
			log.debug("Sandbox webhook {} {} attempt {} failed ({}); retrying in {}", event.event(), event.eventId(),
					attempt, why, backoff);
		}
		return this.store.failed(event, attempt, Instant.now().plus(backoff).plusMillis(jitter), giveUp);
	}

}
