package com.tijorihq.tijori.checkout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import com.tijorihq.tijori.TijoriApplication;
import com.tijorihq.tijori.support.ApiClient;
import com.tijorihq.tijori.support.ApiClients;

import static com.tijorihq.tijori.checkout.CheckoutFixtures.line;
import static com.tijorihq.tijori.checkout.CheckoutFixtures.verifyBody;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Gateway failover per order, with the sandboxes' fault controls, on an application of its own: short gateway
 * timeouts, a short breaker wait and fast health probes, so that a hang is seen in a second rather than in the
 * production defaults' tens of seconds, and no other test class sees a gateway this class broke.
 */
class FailoverTests {

	/** The call timeout below: a checkout that waited for it paid the price of a hanging gateway. */
	private static final Duration CALL_TIMEOUT = Duration.ofSeconds(1);

	/** The breaker's window below. */
	private static final int BREAKER_WINDOW = 20;

	private static ConfigurableApplicationContext app;

	private static ApiClients clients;

	private static CheckoutFixtures fixtures;

	@BeforeAll
	static void start() {
		app = new SpringApplicationBuilder(TijoriApplication.class).profiles("test")
			.run("--server.port=0", "--spring.lifecycle.timeout-per-shutdown-phase=1s",
					"--tijori.razorpay.call-timeout=" + CALL_TIMEOUT.toMillis() + "ms",
					"--tijori.razorpay.breaker.window=" + BREAKER_WINDOW, "--tijori.razorpay.breaker.open-for=2s",
					"--tijori.gateway.probe.interval=250ms", "--tijori.gateway.probe.initial-delay=0s",
					"--tijori.gateway.probe.timeout=1s");
		clients = new ApiClients(() -> app.getEnvironment().getRequiredProperty("local.server.port", Integer.class),
				() -> app.getEnvironment().getRequiredProperty("local.management.port", Integer.class));
		fixtures = new CheckoutFixtures(clients);
	}

	@AfterAll
	static void stop() {
		app.close();
	}

	@AfterEach
	void clearFaults() {
		clients.anonymous().delete("/sandbox/razorpay/_faults").expectStatus().is2xxSuccessful();
		awaitHealth("razorpay", "up", Duration.ofSeconds(20));
	}

	@Test
	void whileRazorpayHangsAutoOrdersGoToPaytmWithoutA503AndComeBackWhenItRecovers() {
		String product = fixtures.product(25_000);
		ApiClient buyer = clients.customer();
		Map<String, Object> auto = Map.of("items", List.of(line(product, 1)));
		assertThat(create(buyer, auto, null).getResponseBody().get("gateway").asText()).isEqualTo("razorpay");

		faults(Map.of("hang", true));
		List<Long> millis = new ArrayList<>();
		String replayKey = UUID.randomUUID().toString();
		JsonNode keyed = null;
		for (int i = 0; i < 30; i++) {
			Instant started = Instant.now();
			EntityExchangeResult<JsonNode> created = create(buyer,
					(i % 2 == 0) ? auto : Map.of("items", List.of(line(product, 1)), "gateway", "auto"),
					(i == 3) ? replayKey : null);
			millis.add(Duration.between(started, Instant.now()).toMillis());
			assertThat(created.getStatus().value()).as("auto order %d while Razorpay hangs", i).isEqualTo(201);
			JsonNode order = created.getResponseBody();
			assertThat(order.get("gateway").asText()).isEqualTo("paytm");
			assertThat(order.get("gatewayOrderId").asText()).isEqualTo(order.get("id").asText());
			assertThat(order.get("attempts")).hasSize(1);
			if (i == 3) {
				keyed = order;
			}
		}
		long waited = millis.stream().filter(ms -> ms >= CALL_TIMEOUT.toMillis()).count();
		assertThat(waited).as("checkouts that waited for Razorpay's timeout before failing over: %s", millis)
			.isLessThanOrEqualTo(BREAKER_WINDOW);
		assertThat(millis.subList(millis.size() - 10, millis.size())).as("once Razorpay is known down")
			.allMatch(ms -> ms < CALL_TIMEOUT.toMillis());
		assertThat(health("razorpay")).isEqualTo("down");
		assertThat(health("paytm")).isEqualTo("up");

		// a client that names Razorpay is not failed over: it gets its 503, as before
		buyer.post("/api/orders", Map.of("items", List.of(line(product, 1)), "gateway", "razorpay"))
			.expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);

		clearFaults();
		JsonNode back = create(buyer, auto, null).getResponseBody();
		assertThat(back.get("gateway").asText()).as("new orders go back to the preferred gateway").isEqualTo("razorpay");
		// the replay of a key answered by Paytm is that same order, wherever new orders go now
		EntityExchangeResult<JsonNode> replay = create(buyer, auto, replayKey);
		assertThat(replay.getStatus().value()).isEqualTo(200);
		assertThat(replay.getResponseBody().get("id").asText()).isEqualTo(keyed.get("id").asText());
		assertThat(replay.getResponseBody().get("gateway").asText()).isEqualTo("paytm");

		String metrics = clients.management()
			.get("/actuator/prometheus")
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(metrics).containsPattern("tijori_checkout_failovers_total\\{from=\"razorpay\",to=\"paytm\"\\} [1-9]")
			.containsPattern("tijori_checkout_attempts_total\\{gateway=\"paytm\",outcome=\"created\"\\} 3[0-9]")
			.containsPattern("tijori_checkout_attempts_total\\{gateway=\"razorpay\",outcome=\"unavailable\"\\} [1-9]")
			.contains("tijori_checkout_attempt_success_rate{gateway=\"paytm\"} 1.0");
	}

	@Test
	void aBuyerWhoPaidOnTheFirstAttemptIsNeverSentToASecondGateway() {
		String product = fixtures.product(31_000);
		ApiClient buyer = clients.customer();
		JsonNode order = fixtures.createOrder(buyer, List.of(line(product, 1)));
		assertThat(order.get("gateway").asText()).isEqualTo("razorpay");
		String id = order.get("id").asText();
		// paid at the gateway; Tijori has not heard of it yet (no verify, no webhook)
		JsonNode paid = fixtures.pay(order, "success");

		faults(Map.of("hang", true));
		awaitHealth("razorpay", "down", Duration.ofSeconds(10));
		EntityExchangeResult<JsonNode> again = buyer.post("/api/orders/" + id + "/checkout", Map.of())
			.expectBody(JsonNode.class)
			.returnResult();
		// the attempt that can still succeed (it did) stays the one to pay on: never one at Paytm beside it
		assertThat(again.getStatus().value()).isEqualTo(200);
		assertThat(again.getResponseBody().get("gateway").asText()).isEqualTo("razorpay");
		assertThat(again.getResponseBody().get("attempts")).hasSize(1);

		clearFaults();
		buyer.post("/api/orders/" + id + "/verify", verifyBody(paid))
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("paid");
		buyer.post("/api/orders/" + id + "/checkout", Map.of())
			.expectStatus()
			.isEqualTo(409)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("order_not_payable");
		JsonNode stored = fixtures.get(buyer, id);
		assertThat(stored.get("attempts")).hasSize(1);
		assertThat(stored.at("/attempts/0/gateway").asText()).isEqualTo("razorpay");
	}

	@Test
	void gatewaysListTheirHealthAndTheStorefrontCanHideTheDownOnes() {
		assertThat(health("razorpay")).isEqualTo("up");
		faults(Map.of("hang", true));
		awaitHealth("razorpay", "down", Duration.ofSeconds(10));
		awaitHealth("paytm", "up", Duration.ofSeconds(10));
		awaitHealth("payu", "up", Duration.ofSeconds(10));
		JsonNode body = gateways();
		assertThat(body.get("items").findValuesAsText("name")).containsExactly("razorpay", "paytm", "payu");
		assertThat(body.get("items").findValuesAsText("health")).containsExactly("down", "up", "up");
		assertThat(body.get("defaultGateway").asText()).as("the preference, whatever its health").isEqualTo("razorpay");
	}

	private static EntityExchangeResult<JsonNode> create(ApiClient buyer, Map<String, Object> body, String key) {
		return buyer.post("/api/orders", body, (key != null) ? Map.of("Idempotency-Key", key) : Map.of())
			.expectBody(JsonNode.class)
			.returnResult();
	}

	private static void faults(Map<String, Object> faults) {
		clients.anonymous()
			.exchange(HttpMethod.PUT, "/sandbox/razorpay/_faults", faults, Map.of())
			.expectStatus()
			.is2xxSuccessful();
	}

	private static JsonNode gateways() {
		return clients.anonymous()
			.get("/api/gateways")
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

	private static String health(String gateway) {
		for (JsonNode item : gateways().get("items")) {
			if (item.get("name").asText().equals(gateway)) {
				return item.get("health").asText();
			}
		}
		throw new AssertionError("no gateway " + gateway);
	}

	/** Health follows the probes and the breaker: polls it, as a storefront would. */
	private static void awaitHealth(String gateway, String expected, Duration within) {
		Instant deadline = Instant.now().plus(within);
		String now = health(gateway);
		while (!expected.equals(now) && Instant.now().isBefore(deadline)) {
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
			now = health(gateway);
		}
		assertThat(now).as("%s health", gateway).isEqualTo(expected);
	}

}
