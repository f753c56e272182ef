package com.tijorihq.tijori.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;

import com.tijorihq.tijori.support.ApiClient;
import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;
import com.tijorihq.tijori.support.MongoCommandCounter;

import static com.tijorihq.tijori.events.EventFixtures.assertStatus;
import static com.tijorihq.tijori.events.EventFixtures.statuses;
import static com.tijorihq.tijori.events.EventFixtures.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@IntegrationTest
class OrderStatusStreamTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(15);

	@Autowired
	ApiClients clients;

	@Autowired
	MeterRegistry meters;

	@Autowired
	MongoCommandCounter commands;

	EventFixtures fixtures;

	@BeforeEach
	void setUp() {
		this.fixtures = new EventFixtures(this.clients);
	}

	@Test
	void firstEventIsTheCurrentStatusThenEachChangeUntilPaid() {
		ApiClient buyer = this.clients.customer();
		JsonNode order = this.fixtures.order(buyer);
		String id = order.get("id").asText();
		List<ServerSentEvent<JsonNode>> seen = new ArrayList<>();

		ServerSentEvent<JsonNode> preamble = subscribe(buyer, id, Map.of()).expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("X-Accel-Buffering", "no")
			.returnResult(EventFixtures.SSE)
			.getResponseBody()
			.blockFirst(TIMEOUT);
		assertThat(preamble.retry()).as("reconnect hint").isEqualTo(Duration.ofSeconds(3));
		assertThat(preamble.event()).isNull();

		StepVerifier.create(statuses(buyer, id, Map.of()))
			.assertNext(first -> {
				assertStatus(first, id, "created");
				assertThat(first.id()).isEqualTo("1");
			})
			.then(() -> this.fixtures.payAndVerify(this.clients.anonymous(), buyer, order))
			.thenConsumeWhile(event -> !"paid".equals(event.data().get("status").asText()), seen::add)
			.assertNext(last -> assertStatus(last, id, "paid"))
			.expectComplete()
			.verify(TIMEOUT);
		seen.forEach(event -> assertThat(Long.parseLong(event.id())).isGreaterThan(1));
	}

	@Test
	void lastEventIdReplaysOnlyLaterEventsAndAFinishedStreamSays204() {
		ApiClient buyer = this.clients.customer();
		JsonNode order = this.fixtures.order(buyer);
		String id = order.get("id").asText();
		this.fixtures.payAndVerify(this.clients.anonymous(), buyer, order);

		List<ServerSentEvent<JsonNode>> replayed = statuses(buyer, id, Map.of("Last-Event-ID", "1")).collectList()
			.block(TIMEOUT);
		assertThat(replayed).isNotEmpty();
		assertThat(replayed).extracting(event -> Long.parseLong(event.id())).allMatch(v -> v > 1).isSorted()
			.doesNotHaveDuplicates();
		assertStatus(replayed.get(replayed.size() - 1), id, "paid");
		String paidVersion = replayed.get(replayed.size() - 1).id();

		// without Last-Event-ID: the current status, and the stream ends since it is final
		StepVerifier.create(statuses(buyer, id, Map.of()))
			.assertNext(event -> {
				assertStatus(event, id, "paid");
				assertThat(event.id()).isEqualTo(paidVersion);
			})
			.expectComplete()
			.verify(TIMEOUT);

		// the browser reconnects after the last event: told to stop
		subscribe(buyer, id, Map.of("Last-Event-ID", paidVersion)).expectStatus().isNoContent();
	}

	@Test
	void resumingAnOpenOrderSendsNothingOldThenTheLiveChanges() {
		ApiClient buyer = this.clients.customer();
		JsonNode order = this.fixtures.order(buyer);
		String id = order.get("id").asText();
		StepVerifier.create(statuses(buyer, id, Map.of("Last-Event-ID", "1")))
			.expectSubscription()
			.then(() -> this.fixtures.payAndVerify(this.clients.anonymous(), buyer, order))
			.thenConsumeWhile(event -> !"paid".equals(event.data().get("status").asText()),
					event -> assertThat(event.data().get("status").asText()).isNotEqualTo("created"))
			.assertNext(event -> assertStatus(event, id, "paid"))
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void anotherUsersOrderIsNotFoundAndAnonymousIsUnauthorized() {
		ApiClient owner = this.clients.customer();
		String id = this.fixtures.order(owner).get("id").asText();
		for (String orderId : List.of(id, "ord_doesnotexist12345")) {
			subscribe(this.clients.customer(), orderId, Map.of()).expectStatus()
				.isNotFound()
				.expectHeader()
				.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo(404);
		}
		subscribe(this.clients.anonymous(), id, Map.of()).expectStatus()
			.isUnauthorized()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
		subscribe(owner, id, Map.of("Last-Event-ID", "abc")).expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo("Last-Event-ID");
		// an admin may follow anyone's order
		StepVerifier.create(statuses(this.clients.admin(), id, Map.of()).take(1))
			.assertNext(event -> assertStatus(event, id, "created"))
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void openingAStreamReadsTheSessionAndTheOrderOnceEach() {
		ApiClient buyer = this.clients.customer();
		JsonNode order = this.fixtures.order(buyer);
		String id = order.get("id").asText();
		StepVerifier.create(statuses(buyer, id, Map.of(MongoCommandCounter.HEADER, "open")).take(1))
			.assertNext(event -> assertStatus(event, id, "created"))
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(this.commands.commands("open")).containsExactly("find sessions", "find orders");

		// a resume reads the events missed by their unique key, one each
		this.fixtures.payAndVerify(this.clients.anonymous(), buyer, order);
		List<ServerSentEvent<JsonNode>> missed = statuses(buyer, id,
				Map.of("Last-Event-ID", "1", MongoCommandCounter.HEADER, "resume"))
			.collectList()
			.block(TIMEOUT);
		assertThat(this.commands.commands("resume")).startsWith("find sessions", "find orders")
			.hasSize(2 + missed.size())
			.endsWith(java.util.Collections.nCopies(missed.size(), "find order_events").toArray(String[]::new));
	}

	@Test
	void aClosedStreamReleasesEverything() {
		ApiClient buyer = this.clients.customer();
		String id = this.fixtures.order(buyer).get("id").asText();
		StepVerifier.create(statuses(buyer, id, Map.of()))
			.assertNext(event -> assertStatus(event, id, "created"))
			.then(() -> assertThat(openStreams()).isPositive())
			.thenCancel()
			.verify(TIMEOUT);
		await().atMost(Duration.ofSeconds(10)).until(() -> openStreams() == 0);
	}

	private double openStreams() {
		return this.meters.get("tijori.sse.streams.open").gauge().value();
	}

}
