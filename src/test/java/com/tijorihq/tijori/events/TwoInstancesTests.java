package com.tijorihq.tijori.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import de.bwaldvogel.mongo.MongoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;

import com.tijorihq.tijori.TijoriApplication;
import com.tijorihq.tijori.support.ApiClient;
import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;

import static com.tijorihq.tijori.events.EventFixtures.assertStatus;
import static com.tijorihq.tijori.events.EventFixtures.statuses;
import static com.tijorihq.tijori.events.EventFixtures.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas behind one database: the shared test application (A, which hosts the embedded MongoDB) and a
 * second one (B) started here on A's database through {@code MONGODB_URI}, as a second pod would be. B holds at
 * most {@value #B_MAX_STREAMS} streams.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoInstancesTests {

	private static final int B_MAX_STREAMS = 3;

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	@Autowired
	ApiClients clients;

	@Autowired
	MongoServer embeddedMongo;

	ConfigurableApplicationContext b;

	ApiClients onB;

	@BeforeAll
	void startB() {
		int mongoPort = this.embeddedMongo.getLocalAddress().getPort();
		this.b = new SpringApplicationBuilder(TijoriApplication.class).profiles("test")
			.run("--server.port=0", "--MONGODB_URI=mongodb://127.0.0.1:" + mongoPort + "/tijori?retryWrites=false",
					"--spring.lifecycle.timeout-per-shutdown-phase=1s", "--tijori.events.max-streams=" + B_MAX_STREAMS);
		this.onB = new ApiClients(
				() -> this.b.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
		assertThat(this.onB.port()).isNotEqualTo(this.clients.port());
	}

	@AfterAll
	void stopB() {
		if (this.b != null) {
			this.b.close();
		}
	}

	@Test
	void aStreamOnOneInstanceFollowsAPaymentVerifiedOnAnotherEachVersionOnce() {
		EventFixtures fixtures = new EventFixtures(this.clients);
		ApiClient buyerOnA = this.clients.customer();
		JsonNode order = fixtures.order(buyerOnA);
		String id = order.get("id").asText();
		ApiClient buyerOnB = onB(buyerOnA);
		List<String> ids = new ArrayList<>();

		StepVerifier.create(statuses(buyerOnB, id, Map.of()).doOnNext(event -> ids.add(event.id())))
			.assertNext(first -> assertStatus(first, id, "created"))
			.then(() -> fixtures.payAndVerify(this.clients.anonymous(), buyerOnA, order))
			.thenConsumeWhile(event -> !"paid".equals(event.data().get("status").asText()))
			.assertNext(last -> assertStatus(last, id, "paid"))
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(ids).doesNotHaveDuplicates();
	}

	@Test
	void anInstanceWithItsMaximumOfStreamsOpenSendsClientsElsewhere() {
		EventFixtures fixtures = new EventFixtures(this.clients);
		List<Flux<ServerSentEvent<JsonNode>>> open = new ArrayList<>();
		ApiClient buyer = null;
		String id = null;
		for (int i = 0; i < B_MAX_STREAMS; i++) {
			// one session each: the instance's cap, not the session's
			buyer = this.clients.customer();
			id = fixtures.order(buyer).get("id").asText();
			open.add(subscribe(onB(buyer), id, Map.of()).expectStatus()
				.isOk()
				.returnResult(EventFixtures.SSE)
				.getResponseBody());
		}
		ApiClient next = this.clients.customer();
		String nextOrder = fixtures.order(next).get("id").asText();

		subscribe(onB(next), nextOrder, Map.of()).expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.valueEquals("Retry-After", "3")
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("too_many_streams");
		// A has room
		StepVerifier.create(statuses(next, nextOrder, Map.of()).take(1))
			.assertNext(event -> assertStatus(event, nextOrder, "created"))
			.expectComplete()
			.verify(TIMEOUT);

		open.forEach(stream -> StepVerifier.create(stream).thenCancel().verify(TIMEOUT));
		StreamLimits onB = this.b.getBean(StreamLimits.class);
		await().atMost(TIMEOUT).until(() -> onB.open() == 0);
	}

	/** The same session on B: sessions live in the shared database, so the cookie A issued is good there. */
	private ApiClient onB(ApiClient onA) {
		ApiClient client = this.onB.anonymous();
		client.cookies().putAll(onA.cookies());
		return client;
	}

}
