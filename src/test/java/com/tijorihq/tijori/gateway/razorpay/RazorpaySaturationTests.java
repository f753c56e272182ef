package com.tijorihq.tijori.gateway.razorpay;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpStatus;

import com.tijorihq.tijori.common.GatewayUnavailableException;
import com.tijorihq.tijori.common.Money;
import com.tijorihq.tijori.gateway.BreakerProperties;
import com.tijorihq.tijori.gateway.GatewayCallFailure;
import com.tijorihq.tijori.gateway.GatewayOrderRequest;
import com.tijorihq.tijori.gateway.PaymentGateway;
import com.tijorihq.tijori.gateway.razorpay.RazorpayGateway.RazorpayMode;
import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A slow or hung gateway must not take Tijori down: a small adapter (2 threads, queue 2 per thread) against the
 * shared sandbox with injected faults. Shares the application context; builds only its own adapter.
 */
@IntegrationTest
class RazorpaySaturationTests {

	@Autowired
	ApiClients clients;

	@Autowired
	@Qualifier("razorpayGateway")
	PaymentGateway appGateway;

	private Scheduler scheduler;

	@AfterEach
	void resetFaults() {
		this.clients.anonymous().raw().delete().uri("/sandbox/razorpay/_faults").exchange().expectStatus().isOk();
		if (this.scheduler != null) {
			this.scheduler.dispose();
		}
	}

	@Test
	void excessCallsFailFastWhileTheGatewayIsSlowAndHealthStaysPrompt() {
		RazorpayGateway gateway = adapter(RazorpayPropertiesFixtures.properties(2, 2, Duration.ofSeconds(8),
				new BreakerProperties(50, 20, 10, Duration.ofSeconds(10))));
		String orderId = this.appGateway.createOrder(GatewayOrderRequest.of(Money.inr(1_000), RazorpayGatewayTests.receipt()))
			.block(Duration.ofSeconds(5))
			.id();
		faults(Map.of("latencyMs", 2000));

		long start = System.nanoTime();
		CompletableFuture<List<Outcome>> calls = Flux.range(0, 30)
			.flatMap(i -> gateway.fetchOrder(orderId)
				.map(order -> new Outcome(true, elapsedMs(start), null))
				.onErrorResume(GatewayUnavailableException.class,
						ex -> Mono.just(new Outcome(false, elapsedMs(start), ex))), 30)
			.collectList()
			.toFuture();

		long healthStart = System.nanoTime();
		this.clients.anonymous().get("/readyz").expectStatus().isOk();
		assertThat(elapsedMs(healthStart)).as("health answers while the gateway pool is saturated").isLessThan(1000);

		List<Outcome> outcomes = calls.orTimeout(20, java.util.concurrent.TimeUnit.SECONDS).join();
		List<Outcome> refused = outcomes.stream().filter(outcome -> !outcome.ok()).toList();
		List<Outcome> served = outcomes.stream().filter(Outcome::ok).toList();
		assertThat(served).as("what 2 threads with 2 queued each can take").hasSizeBetween(2, 6);
		assertThat(refused).hasSize(30 - served.size()).allSatisfy(outcome -> {
			assertThat(outcome.ms()).as("refused at once, not after the latency").isLessThan(1000);
			assertThat(outcome.error().status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
			assertThat(outcome.error().retryAfter()).isPositive();
			assertThat(outcome.error().code()).isEqualTo("gateway_unavailable");
		});
		assertThat(served).allSatisfy(outcome -> assertThat(outcome.ms()).isGreaterThanOrEqualTo(1900));

		faults(Map.of("latencyMs", 0));
		assertThat(gateway.fetchOrder(orderId).block(Duration.ofSeconds(5)).id()).isEqualTo(orderId);
		assertThat(gateway.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
		assertThat(gateway.activeCalls()).isZero();
	}

	@Test
	void aHungGatewayIsCutByTheTimeoutFreesItsThreadAndOpensThenClosesTheBreaker() {
		RazorpayGateway gateway = adapter(RazorpayPropertiesFixtures.properties(2, 2, Duration.ofSeconds(1),
				new BreakerProperties(50, 4, 4, Duration.ofMillis(500))));
		String orderId = this.appGateway.createOrder(GatewayOrderRequest.of(Money.inr(1_000), RazorpayGatewayTests.receipt()))
			.block(Duration.ofSeconds(5))
			.id();
		faults(Map.of("hang", true));

		for (int round = 0; round < 2; round++) {
			long start = System.nanoTime();
			List<Throwable> errors = Flux.range(0, 2)
				.flatMap(i -> gateway.fetchOrder(orderId).then(Mono.<Throwable>empty()).onErrorResume(Mono::just))
				.collectList()
				.block(Duration.ofSeconds(5));
			assertThat(elapsedMs(start)).as("cut by the timeout, not retried").isBetween(700L, 1900L);
			assertThat(errors).hasSize(2).allSatisfy(ex -> assertThat(ex)
				.isInstanceOfSatisfying(GatewayCallFailure.class,
						unavailable -> assertThat(unavailable.kind()).isEqualTo(GatewayCallFailure.Kind.TIMEOUT)));
			await().atMost(Duration.ofMillis(500)).until(() -> gateway.activeCalls() == 0);
		}

		assertThat(gateway.breakerState()).isEqualTo(CircuitBreaker.State.OPEN);
		long start = System.nanoTime();
		Throwable refused = gateway.fetchOrder(orderId).then(Mono.<Throwable>empty()).onErrorResume(Mono::just)
			.block(Duration.ofSeconds(2));
		assertThat(refused).isInstanceOfSatisfying(GatewayCallFailure.class,
				ex -> assertThat(ex.kind()).isEqualTo(GatewayCallFailure.Kind.BREAKER_OPEN));
		assertThat(elapsedMs(start)).as("an open breaker answers at once").isLessThan(300);

		faults(Map.of("hang", false));
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
			assertThat(gateway.fetchOrder(orderId).onErrorResume(ex -> Mono.empty()).block(Duration.ofSeconds(2)))
				.isNotNull();
			assertThat(gateway.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
		});
	}

	private RazorpayGateway adapter(RazorpayProperties properties) {
		this.scheduler = Schedulers.newBoundedElastic(properties.threads(), properties.queue(), "razorpay-test");
		HttpUrl sandbox = HttpUrl.parse(this.clients.baseUrl() + "/sandbox/razorpay");
		RazorpayMode mode = new RazorpayMode(true, properties.sandbox().keyId(), properties.sandbox().keySecret(),
				properties.sandbox().webhookSecret(), () -> sandbox);
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		return new RazorpayGateway(mode, this.scheduler, RazorpayConfiguration.circuitBreaker(properties, meters),
				properties, meters);
	}

	private void faults(Map<String, Object> faults) {
		this.clients.anonymous()
			.raw()
			.put()
			.uri("/sandbox/razorpay/_faults")
			.contentType(org.springframework.http.MediaType.APPLICATION_JSON)
			.bodyValue(faults)
			.exchange()
			.expectStatus()
			.isOk();
	}

	private static long elapsedMs(long startNanos) {
		return (System.nanoTime() - startNanos) / 1_000_000;
	}

	record Outcome(boolean ok, long ms, GatewayUnavailableException error) {
	}

}
