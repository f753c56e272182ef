package com.tijorihq.tijori.events;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.beans.factory.annotation.Autowired;

import com.tijorihq.tijori.support.ApiClient;
import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@IntegrationTest
class ManySubscribersTests {

	private static final int SUBSCRIBERS = 1000;

	@Autowired
	ApiClients clients;

	@Autowired
	MeterRegistry meters;

	@Autowired
	EventsProperties properties;

	@Test
	void aThousandStreamsOfOneOrderAllGetPaidAndThenAllAreReleased() throws Exception {
		EventFixtures fixtures = new EventFixtures(this.clients);
		ApiClient buyer = this.clients.customer();
		JsonNode order = fixtures.order(buyer);
		String id = order.get("id").asText();
		// a session may hold only so many streams: spread them over enough admin sessions (admins follow any order)
		int perSession = this.properties.maxStreamsPerSession();
		List<String> sessions = IntStream.range(0, (SUBSCRIBERS + perSession - 1) / perSession)
			.mapToObj(i -> cookieHeader(this.clients.admin()))
			.toList();
		ConnectionProvider pool = ConnectionProvider.builder("sse-subscribers")
			.maxConnections(SUBSCRIBERS + 10)
			.pendingAcquireMaxCount(-1)
			.build();
		try {
			HttpClient http = HttpClient.create(pool)
				.baseUrl(this.clients.baseUrl())
				.headers(headers -> headers.add("Accept", "text/event-stream"));
			AtomicInteger connected = new AtomicInteger();
			CompletableFuture<List<String>> bodies = Flux.range(0, SUBSCRIBERS)
				.flatMap(i -> http.headers(headers -> headers.add("Cookie", sessions.get(i % sessions.size())))
					.get()
					.uri("/api/orders/" + id + "/events")
					.response((response, body) -> {
						assertThat(response.status().code()).isEqualTo(200);
						connected.incrementAndGet();
						return body.aggregate().asString();
					}), SUBSCRIBERS)
				.collectList()
				.timeout(Duration.ofSeconds(60))
				.toFuture();

			await().atMost(Duration.ofSeconds(30)).until(() -> connected.get() == SUBSCRIBERS && openStreams() >= SUBSCRIBERS);
			fixtures.payAndVerify(this.clients.anonymous(), buyer, order);

			List<String> received = bodies.get(30, TimeUnit.SECONDS);
			assertThat(received).hasSize(SUBSCRIBERS).allSatisfy(body -> {
				assertThat(body).contains("event:status").contains("\"status\":\"created\"");
				assertThat(body).contains("\"status\":\"paid\"");
			});
			await().atMost(Duration.ofSeconds(10)).until(() -> openStreams() == 0);
		}
		finally {
			pool.disposeLater().block(Duration.ofSeconds(10));
		}
	}

	private static String cookieHeader(ApiClient client) {
		return client.cookies()
			.entrySet()
			.stream()
			.map(cookie -> cookie.getKey() + "=" + cookie.getValue())
			.collect(Collectors.joining("; "));
	}

	private double openStreams() {
		return this.meters.get("tijori.sse.streams.open").gauge().value();
	}

}
