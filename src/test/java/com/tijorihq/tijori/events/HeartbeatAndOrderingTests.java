package com.tijorihq.tijori.events;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import org.springframework.http.codec.ServerSentEvent;

import com.tijorihq.tijori.events.OrderStatusStreams.Change;

import static org.assertj.core.api.Assertions.assertThat;

/** The stream's timing and ordering rules, on virtual time (no application context). */
class HeartbeatAndOrderingTests {

	private static final Duration VERIFY = Duration.ofSeconds(5);

	@Test
	void anIdleStreamGetsAHeartbeatEveryInterval() {
		StepVerifier
			.withVirtualTime(() -> OrderStatusStreams.withHeartbeats(Flux.<ServerSentEvent<String>>never(),
					Duration.ofSeconds(15)))
			.expectSubscription()
			.expectNoEvent(Duration.ofSeconds(14))
			.thenAwait(Duration.ofSeconds(1))
			.assertNext(HeartbeatAndOrderingTests::assertHeartbeat)
			.thenAwait(Duration.ofSeconds(15))
			.assertNext(HeartbeatAndOrderingTests::assertHeartbeat)
			.thenCancel()
			.verify(VERIFY);
	}

	@Test
	void heartbeatsStopWhenTheEventsEnd() {
		StepVerifier
			.withVirtualTime(() -> OrderStatusStreams.withHeartbeats(
					Flux.just(ServerSentEvent.builder("paid").build()).delayElements(Duration.ofSeconds(20)),
					Duration.ofSeconds(15)))
			.expectSubscription()
			.thenAwait(Duration.ofSeconds(15))
			.assertNext(HeartbeatAndOrderingTests::assertHeartbeat)
			.thenAwait(Duration.ofSeconds(5))
			.assertNext(event -> assertThat(event.data()).isEqualTo("paid"))
			.expectComplete()
			.verify(VERIFY);
	}

	@Test
	void aClientThatReadsNothingDoesNotMakeHeartbeatsPileUpOrFail() {
		// no demand for an hour: interval ticks are dropped past merge's small prefetch, never an overflow error
		StepVerifier
			.withVirtualTime(() -> OrderStatusStreams.withHeartbeats(Flux.<ServerSentEvent<String>>never(),
					Duration.ofSeconds(1)), 0)
			.expectSubscription()
			.thenAwait(Duration.ofHours(1))
			.thenRequest(1)
			.assertNext(HeartbeatAndOrderingTests::assertHeartbeat)
			.thenCancel()
			.verify(VERIFY);
	}

	@Test
	void overlappingReplayAndLiveEventsAreSentOnceInOrderAndEndOnPaid() {
		Flux<Change> replayThenLive = Flux.just(change(2, "attempted"), change(3, "failed"), change(2, "attempted"),
				change(3, "failed"), change(4, "attempted"), change(5, "paid"), change(6, "partially_refunded"));
		StepVerifier.create(OrderStatusStreams.inOrder(replayThenLive, 1).map(Change::version))
			.expectNext(2L, 3L, 4L, 5L)
			.expectComplete()
			.verify(VERIFY);
	}

	@Test
	void failedKeepsTheStreamOpenAndStaleVersionsAreDropped() {
		Flux<Change> changes = Flux.just(change(3, "failed"), change(2, "attempted"));
		StepVerifier.create(OrderStatusStreams.inOrder(changes.concatWith(Flux.never()), 0).map(Change::status))
			.expectNext("failed")
			.expectNoEvent(Duration.ofMillis(100))
			.thenCancel()
			.verify(VERIFY);
	}

	@Test
	void eventsCarryIdNameAndLowercaseStatus() {
		ServerSentEvent<OrderStatusEventResponse> event = OrderStatusStreams
			.toEvent(change(7, "partially_refunded"));
		assertThat(event.id()).isEqualTo("7");
		assertThat(event.event()).isEqualTo("status");
		assertThat(event.data().status()).isEqualTo("partially_refunded");
	}

	/** Only {@code paid} ends these streams, as it does for checkout. */
	private static Change change(long version, String status) {
		return new Change("ord_test", version, status, Instant.EPOCH, status.equals("paid"));
	}

	private static void assertHeartbeat(ServerSentEvent<?> event) {
		assertThat(event.comment()).isEqualTo("heartbeat");
		assertThat(event.data()).isNull();
	}

}
