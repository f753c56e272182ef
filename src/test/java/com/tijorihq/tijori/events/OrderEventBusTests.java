package com.tijorihq.tijori.events;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import java.util.stream.LongStream;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoOperations;

import com.tijorihq.tijori.events.EventsProperties.Tail;
import com.tijorihq.tijori.events.OrderEventTail.Mode;
import com.tijorihq.tijori.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bus and its tail against the real (embedded) MongoDB: mode detection, both tail modes, per-subscriber
 * buffers and shutdown. Events are written straight into {@code order_events} for made-up order ids.
 */
@IntegrationTest
class OrderEventBusTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(15);

	@Autowired
	ReactiveMongoOperations mongo;

	@Autowired
	EventsProperties properties;

	@Autowired
	OrderEventBus bus;

	@Autowired
	OrderEventTail tail;

	@Autowired
	MeterRegistry meters;

	@Test
	void onTheEmbeddedServerTheTailPollsBecauseItsChangeStreamsDoNotWait() {
		assertThat(this.tail.mode()).isEqualTo(Mode.POLL);
		StepVerifier.create(this.tail.probe())
			.assertNext(decision -> {
				assertThat(decision.mode()).isEqualTo(Mode.POLL);
				assertThat(decision.why()).contains("without waiting");
			})
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void aChangeStreamTailDeliversInsertsAndResumesAfterItsTokenNotFromNow() {
		OrderEventTail changeStream = new OrderEventTail(this.mongo, with(Tail.CHANGE_STREAM));
		String order = newOrderId();
		StepVerifier.create(changeStream.changeStream().filter(e -> e.orderId().equals(order)).take(1))
			.expectSubscription()
			.then(() -> insert(record(order, 1, new ObjectId())))
			.assertNext(event -> assertThat(event.version()).isEqualTo(1))
			.expectComplete()
			.verify(TIMEOUT);
		// written while no stream was open: the next stream starts after the token, so it sees 2 and not 1 again
		insert(record(order, 2, new ObjectId()));
		StepVerifier.create(changeStream.changeStream().filter(e -> e.orderId().equals(order)).take(1))
			.assertNext(event -> assertThat(event.version()).isEqualTo(2))
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void thePollingTailFindsALaterInsertWithAnOlderIdOnce() {
		OrderEventTail polling = new OrderEventTail(this.mongo, with(Tail.POLL));
		String order = newOrderId();
		insert(record(order, 1, new ObjectId()));
		StepVerifier.create(polling.pollOnce().filter(e -> e.orderId().equals(order)).map(OrderEventRecord::version))
			.expectNext(1L)
			.expectComplete()
			.verify(TIMEOUT);
		// another pod made this id a second earlier (same-second ids and clock skew are not ordered) and its insert
		// lands only now
		ObjectId older = ObjectId.getSmallestWithDate(Date.from(Instant.now().minusSeconds(1)));
		insert(record(order, 2, older));
		StepVerifier.create(polling.pollOnce().filter(e -> e.orderId().equals(order)).map(OrderEventRecord::version))
			.expectNext(2L)
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void aSlowSubscriberIsCutOffWithoutAffectingTheOthers() {
		String order = newOrderId();
		int size = this.properties.bufferSize();
		double cutBefore = this.meters.get("tijori.sse.streams.cut").counter().count();
		OrderEventBus.Subscription slow = this.bus.subscribe(order);
		OrderEventBus.Subscription fast = this.bus.subscribe(order);
		StepVerifier slowReader = StepVerifier.create(slow.events(), 0)
			.expectSubscription()
			.expectError(SlowSubscriberException.class)
			.verifyLater();
		StepVerifier fastReader = StepVerifier.create(fast.events().map(OrderEventRecord::version))
			.expectNextSequence(LongStream.rangeClosed(1, size + 5).boxed().toList())
			.thenCancel()
			.verifyLater();

		this.mongo.insertAll(LongStream.rangeClosed(1, size + 5).mapToObj(v -> record(order, v, new ObjectId())).toList())
			.then()
			.block(TIMEOUT);

		slowReader.verify(TIMEOUT);
		fastReader.verify(TIMEOUT);
		assertThat(this.meters.get("tijori.sse.streams.cut").counter().count()).isEqualTo(cutBefore + 1);
		await().atMost(Duration.ofSeconds(5)).until(() -> slow.isDisposed() && fast.isDisposed());
	}

	@Test
	void stoppingTheBusCompletesItsStreamsSoClientsReconnectElsewhere() {
		OrderEventBus own = new OrderEventBus(new OrderEventTail(this.mongo, with(Tail.POLL)), this.properties,
				new SimpleMeterRegistry());
		own.start();
		String order = newOrderId();
		OrderEventBus.Subscription subscription = own.subscribe(order);
		StepVerifier.create(subscription.events().map(OrderEventRecord::version))
			.then(() -> insert(record(order, 1, new ObjectId())))
			.expectNext(1L)
			.then(own::stop)
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(own.isRunning()).isFalse();
		assertThat(own.subscriptions()).isZero();
		// and one that arrives during shutdown ends at once
		StepVerifier.create(own.subscribe(newOrderId()).events()).expectComplete().verify(TIMEOUT);
	}

	private EventsProperties with(Tail tail) {
		EventsProperties p = this.properties;
		return new EventsProperties(p.heartbeat(), p.retry(), p.bufferSize(), p.maxLifetime(), tail, p.pollInterval(),
				p.pollLookback());
	}

	private void insert(OrderEventRecord record) {
		this.mongo.insert(record).block(TIMEOUT);
	}

	private static OrderEventRecord record(String order, long version, ObjectId id) {
		return new OrderEventRecord(id, order, version, "ATTEMPTED", Instant.now(), false);
	}

	private static String newOrderId() {
		return "ord_bus" + UUID.randomUUID().toString().replace("-", "");
	}


}
