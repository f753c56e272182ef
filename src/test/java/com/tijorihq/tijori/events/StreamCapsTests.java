package com.tijorihq.tijori.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;

import com.tijorihq.tijori.support.ApiClient;
import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;

import static com.tijorihq.tijori.events.EventFixtures.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Streams per session are capped on each instance (20 by default); the next one is a 429 problem. */
@IntegrationTest
class StreamCapsTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(15);

	@Autowired
	ApiClients clients;

	@Autowired
	EventsProperties properties;

	@Autowired
	StreamLimits limits;

	@Test
	void aSessionWithItsMaximumOfStreamsOpenIsRefusedTheNextUntilItClosesOne() {
		EventFixtures fixtures = new EventFixtures(this.clients);
		ApiClient buyer = this.clients.customer();
		String id = fixtures.order(buyer).get("id").asText();
		int cap = this.properties.maxStreamsPerSession();
		assertThat(cap).isEqualTo(20);
		List<Flux<ServerSentEvent<JsonNode>>> open = new ArrayList<>();
		for (int i = 0; i < cap; i++) {
			open.add(subscribe(buyer, id, Map.of()).expectStatus().isOk().returnResult(EventFixtures.SSE)
				.getResponseBody());
		}

		subscribe(buyer, id, Map.of()).expectStatus()
			.isEqualTo(429)
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(429)
			.jsonPath("$.code")
			.isEqualTo("too_many_streams");
		// another session of the same instance is not affected
		ApiClient other = this.clients.customer();
		String othersOrder = fixtures.order(other).get("id").asText();
		StepVerifier.create(EventFixtures.statuses(other, othersOrder, Map.of()).take(1))
			.expectNextCount(1)
			.expectComplete()
			.verify(TIMEOUT);

		// closing one stream frees its place
		int before = this.limits.open();
		StepVerifier.create(open.remove(0)).thenCancel().verify(TIMEOUT);
		await().atMost(TIMEOUT).until(() -> this.limits.open() < before);
		StepVerifier.create(EventFixtures.statuses(buyer, id, Map.of()).take(1))
			.expectNextCount(1)
			.expectComplete()
			.verify(TIMEOUT);

		open.forEach(stream -> StepVerifier.create(stream).thenCancel().verify(TIMEOUT));
		await().atMost(TIMEOUT).until(() -> this.limits.open() == 0);
	}

}
