package com.tijorihq.tijori.ops;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.reactive.function.client.WebClient;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import com.tijorihq.tijori.TijoriApplication;
import com.tijorihq.tijori.support.ApiClient;
import com.tijorihq.tijori.support.ApiClients;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * SIGTERM (a context close) lets requests that are already running finish. Its own short-lived application,
 * since it stops it: one CPU thread makes a burst of registrations (bcrypt) queue up, so several are still in
 * flight when shutdown begins.
 */
class GracefulShutdownTests {

	/**
	 * A small burst: under BlockHound, dozens of concurrent requests make the Mongo driver's pool lock contend on an
	 * event loop, and the interrupted lock can then hang {@code MongoClient.close()}.
	 */
	private static final int REQUESTS = 8;

	@Test
	void inFlightRequestsCompleteAndNewConnectionsAreRefused() throws Exception {
		// command-line arguments, as they must outrank application.yml's ${PORT:8080}
		ConfigurableApplicationContext app = new SpringApplicationBuilder(TijoriApplication.class).profiles("test")
			.run("--server.port=0", "--tijori.cpu-threads=1", "--spring.lifecycle.timeout-per-shutdown-phase=20s");
		int port = app.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
		WebClient client = WebClient.create("http://127.0.0.1:" + port);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> client.get()
				.uri("/readyz")
				.exchangeToMono(response -> Mono.just(response.statusCode().value()))
				.toFuture()
				.get(5, TimeUnit.SECONDS) == 200);

		// one request first, so the burst below does not also race to fill the validator's metadata cache
		assertThat(register(client, -1).toFuture().get(10, TimeUnit.SECONDS)).isEqualTo(201);

		AtomicLong lastCompletion = new AtomicLong();
		CompletableFuture<List<Integer>> statuses = Flux.range(0, REQUESTS)
			.flatMap(i -> register(client, i).doOnSuccess(status -> lastCompletion.set(System.nanoTime())))
			.collectList()
			.toFuture();
		// shut down only once every request has reached the server (a slow machine may still be connecting)
		MeterRegistry meters = app.getBean(MeterRegistry.class);
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			int running = activeRequests(meters);
			long finished = meters.find("http.server.requests").tag("uri", "/api/auth/register").timers().stream()
				.mapToLong(Timer::count)
				.sum() - 1; // the warm-up request
			return running + finished >= REQUESTS;
		});
		long closing = System.nanoTime();
		// bounded, so a shutdown that hangs fails this test instead of the whole suite
		CompletableFuture.runAsync(app::close).get(60, TimeUnit.SECONDS);
		long closed = System.nanoTime();

		assertThat(statuses.get(30, TimeUnit.SECONDS)).hasSize(REQUESTS).containsOnly(201);
		assertThat(lastCompletion.get()).as("some requests were still running when shutdown began")
			.isGreaterThan(closing);
		System.out.printf("shutdown took %d ms; the last request finished %d ms after it began%n",
				(closed - closing) / 1_000_000, (lastCompletion.get() - closing) / 1_000_000);
		assertThatThrownBy(() -> client.get().uri("/livez").retrieve().toBodilessEntity().toFuture().get(5,
				TimeUnit.SECONDS))
			.hasRootCauseInstanceOf(java.net.ConnectException.class);
	}

	private static int activeRequests(MeterRegistry meters) {
		return meters.find("http.server.requests.active").longTaskTimers().stream()
			.mapToInt(LongTaskTimer::activeTasks)
			.sum();
	}

	private static Mono<Integer> register(WebClient client, int i) {
		return client.post()
			.uri("/api/auth/register")
			.bodyValue(Map.of("email", "shutdown-" + UUID.randomUUID() + "@example.com", "password", "password-123",
					"name", "Shutdown " + i))
			.exchangeToMono(response -> Mono.just(response.statusCode().value()));
	}

	@Test
	void inFlightCheckoutCompletesDuringShutdown() throws Exception {
		// the sandbox answers the gateway call after 2 s, so the order is mid-checkout when shutdown begins
		ConfigurableApplicationContext app = new SpringApplicationBuilder(TijoriApplication.class).profiles("test")
			.run("--server.port=0", "--TIJORI_SANDBOX_LATENCY=2s", "--spring.lifecycle.timeout-per-shutdown-phase=20s");
		int port = app.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
		ApiClients clients = new ApiClients(() -> port);
		String product = clients.product(10_000);
		ApiClient buyer = clients.customer();
		CompletableFuture<EntityExchangeResult<JsonNode>> order = CompletableFuture.supplyAsync(() -> buyer
			.post("/api/orders", Map.of("items", List.of(Map.of("productId", product, "quantity", 3))))
			.expectBody(JsonNode.class)
			.returnResult());
		// shut down once the gateway call has reached the sandbox (the buyer's request and the SDK's both in flight):
		// a call that only starts after shutdown began finds the port closed, which is not what this test is about
		MeterRegistry meters = app.getBean(MeterRegistry.class);
		await().atMost(Duration.ofSeconds(30)).until(() -> activeRequests(meters) >= 2);
		assertThat(order).as("still waiting for the gateway when shutdown begins").isNotDone();
		CompletableFuture.runAsync(app::close).get(60, TimeUnit.SECONDS);

		EntityExchangeResult<JsonNode> result = order.get(30, TimeUnit.SECONDS);
		assertThat(result.getStatus().value()).isEqualTo(201);
		assertThat(result.getResponseBody().get("gatewayOrderId").asText()).startsWith("order_");
		assertThat(result.getResponseBody().at("/amount/amount").asLong()).isEqualTo(30_000);
	}

}
