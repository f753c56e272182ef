package com.tijorihq.tijori.events;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import com.tijorihq.tijori.events.SseFrames.Frame;

import static org.assertj.core.api.Assertions.assertThat;

/** The stream's timing and ordering rules, on virtual time (no application context). */
class HeartbeatAndOrderingTests {

	private static final Duration VERIFY = Duration.ofSeconds(5);

	@Test
	void anIdleStreamGetsAHeartbeatEveryInterval() {
		StepVerifier
			.withVirtualTime(() -> OrderStatusStreams.withHeartbeats(Flux.<byte[]>never(), Duration.ofSeconds(15)))
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
					Flux.just(ascii("data:paid\n\n")).delayElements(Duration.ofSeconds(20)), Duration.ofSeconds(15)))
			.expectSubscription()
			.thenAwait(Duration.ofSeconds(15))
			.assertNext(HeartbeatAndOrderingTests::assertHeartbeat)
			.thenAwait(Duration.ofSeconds(5))
			.assertNext(event -> assertThat(new String(event, StandardCharsets.US_ASCII)).isEqualTo("data:paid\n\n"))
			.expectComplete()
			.verify(VERIFY);
	}

	@Test
	void aClientThatReadsNothingDoesNotMakeHeartbeatsPileUpOrFail() {
		// no demand for an hour: interval ticks are dropped past merge's small prefetch, never an overflow error
		StepVerifier
			.withVirtualTime(() -> OrderStatusStreams.withHeartbeats(Flux.<byte[]>never(), Duration.ofSeconds(1)), 0)
			.expectSubscription()
			.thenAwait(Duration.ofHours(1))
			.thenRequest(1)
			.assertNext(HeartbeatAndOrderingTests::assertHeartbeat)
			.thenCancel()
			.verify(VERIFY);
	}

	@Test
	void overlappingReplayAndLiveEventsAreSentOnceInOrderAndEndOnPaid() {
		Flux<Frame> replayThenLive = Flux.just(change(2, "attempted"), change(3, "failed"), change(2, "attempted"),
				change(3, "failed"), change(4, "attempted"), change(5, "paid"), change(6, "partially_refunded"));
		StepVerifier.create(OrderStatusStreams.inOrder(replayThenLive, 1).map(Frame::version))
			.expectNext(2L, 3L, 4L, 5L)
			.expectComplete()
			.verify(VERIFY);
	}

	@Test
	void failedKeepsTheStreamOpenAndStaleVersionsAreDropped() {
		Flux<Frame> changes = Flux.just(change(3, "failed"), change(2, "attempted"));
		StepVerifier.create(OrderStatusStreams.inOrder(changes.concatWith(Flux.never()), 0).map(Frame::version))
			.expectNext(3L)
			.expectNoEvent(Duration.ofMillis(100))
			.thenCancel()
			.verify(VERIFY);
	}

	@Test
	void eventsAreEncodedAsSpringsSseWriterDidWithIdNameAndLowercaseStatus() {
		SseFrames frames = new SseFrames(new ObjectMapper().registerModule(new JavaTimeModule())
			.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS));
		Frame frame = frames.status(new OrderStatusEvent("ord_1", 7, "partially_refunded",
				Instant.parse("2026-12-01T10:00:00Z"), false));
		assertThat(new String(frame.bytes(), StandardCharsets.UTF_8)).isEqualTo("id:7\nevent:status\n"
				+ "data:{\"orderId\":\"ord_1\",\"status\":\"partially_refunded\",\"at\":\"2026-12-01T10:00:00Z\"}\n\n");
		assertThat(frame.version()).isEqualTo(7);
		assertThat(frame.endsStream()).isFalse();
		assertThat(new String(SseFrames.preamble("ord_1", Duration.ofSeconds(3)), StandardCharsets.US_ASCII))
			.isEqualTo(":status of ord_1\nretry:3000\n\n");
	}

	/** Only {@code paid} ends these streams, as it does for checkout. */
	private static Frame change(long version, String status) {
		return new Frame(version, status.equals("paid"), ascii(status));
	}

	private static void assertHeartbeat(byte[] event) {
		assertThat(new String(event, StandardCharsets.US_ASCII)).isEqualTo(":heartbeat\n\n");
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

}
