package com.tijorihq.tijori.events;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoOperations;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

import com.tijorihq.tijori.events.EventsProperties.Tail;
import com.tijorihq.tijori.events.OrderEventTail.Mode;
import com.tijorihq.tijori.support.IntegrationTest;
import com.tijorihq.tijori.support.MongoCommandCounter;

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

	@Autowired
	EventSequence sequence;

	@Autowired
	MongoCommandCounter commands;

	@Autowired
	SseFrames frames;

	@Autowired
	OrderEventPublisher publisher;

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
		OrderEventTail changeStream = new OrderEventTail(this.mongo, this.sequence, with(Tail.CHANGE_STREAM));
		String order = newOrderId();
		StepVerifier.create(changeStream.changeStream().filter(e -> e.orderId().equals(order)).take(1))
			.expectSubscription()
			.then(() -> insert(record(order, 1)))
			.assertNext(event -> assertThat(event.version()).isEqualTo(1))
			.expectComplete()
			.verify(TIMEOUT);
		// written while no stream was open: the next stream starts after the token, so it sees 2 and not 1 again
		insert(record(order, 2));
		StepVerifier.create(changeStream.changeStream().filter(e -> e.orderId().equals(order)).take(1))
			.assertNext(event -> assertThat(event.version()).isEqualTo(2))
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void thePollingTailReadsEachPositionOnceAndWaitsForOneStillInFlight() {
		OrderEventTail polling = new OrderEventTail(this.mongo, this.sequence, with(Tail.POLL));
		String order = newOrderId();
		// the first poll finds where the log ends (and passes on the last few, in case they raced the start)
		StepVerifier.create(polling.pollOnce().then()).expectComplete().verify(TIMEOUT);
		long end = this.sequence.known().block(TIMEOUT);
		insert(record(order, 1, end + 1));
		StepVerifier.create(versions(polling, order)).expectNext(1L).expectComplete().verify(TIMEOUT);
		StepVerifier.create(polling.pollOnce()).as("nothing new: nothing read again").expectComplete()
			.verify(TIMEOUT);
		// another instance claimed end + 2 and its insert is still in flight when end + 3 lands
		insert(record(order, 3, end + 3));
		StepVerifier.create(versions(polling, order)).expectNext(3L).expectComplete().verify(TIMEOUT);
		insert(record(order, 2, end + 2));
		StepVerifier.create(versions(polling, order)).expectNext(2L).expectComplete().verify(TIMEOUT);
		StepVerifier.create(polling.pollOnce()).expectComplete().verify(TIMEOUT);
	}

	@Test
	void anIdlePollIsOneLookupByTheUniquePosition() {
		OrderEventTail polling = new OrderEventTail(this.mongo, this.sequence, with(Tail.POLL));
		StepVerifier.create(polling.pollOnce().then()).expectComplete().verify(TIMEOUT);
		String tag = UUID.randomUUID().toString();
		StepVerifier.create(polling.pollOnce().contextWrite(context -> context.put(MongoCommandCounter.class.getName(),
				tag)))
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(this.commands.commands(tag)).containsExactly("find order_events");
	}

	@Test
	void aPositionAnotherInstanceTookIsSkippedAndTheChangeStoredOnce() {
		String order = newOrderId();
		long end = this.sequence.known().block(TIMEOUT);
		// another instance stored two changes this instance has not seen yet
		insert(record(newOrderId(), 1, end + 1));
		insert(record(newOrderId(), 1, end + 2));
		this.publisher.publish(new OrderStatusEvent(order, 1, "created", Instant.now(), false)).block(TIMEOUT);
		StepVerifier.create(this.mongo.find(Query.query(Criteria.where("orderId").is(order)), OrderEventRecord.class))
			.assertNext(stored -> assertThat(stored.seq()).isGreaterThan(end + 2))
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
		StepVerifier fastReader = StepVerifier.create(fast.events().map(SseFrames.Frame::version))
			.expectNextSequence(LongStream.rangeClosed(1, size + 5).boxed().toList())
			.thenCancel()
			.verifyLater();

		this.publisher
			.publishAll(LongStream.rangeClosed(1, size + 5)
				.mapToObj(v -> new OrderStatusEvent(order, v, "attempted", Instant.now(), false))
				.toList())
			.block(TIMEOUT);

		slowReader.verify(TIMEOUT);
		fastReader.verify(TIMEOUT);
		assertThat(this.meters.get("tijori.sse.streams.cut").counter().count()).isEqualTo(cutBefore + 1);
		await().atMost(Duration.ofSeconds(5)).until(() -> slow.isDisposed() && fast.isDisposed());
	}

	@Test
	void aChangeThisInstanceStoresReachesItsSubscribersAtOnceAndOnceThoughItsTailSeesItToo() {
		String order = newOrderId();
		double repeatedBefore = this.meters.get("tijori.sse.changes.repeated").counter().count();
		OrderEventBus.Subscription subscription = this.bus.subscribe(order);
		List<Long> received = new CopyOnWriteArrayList<>();
		Disposable reading = subscription.events().map(SseFrames.Frame::version).subscribe(received::add);
		try {
			this.publisher.publish(new OrderStatusEvent(order, 1, "created", Instant.now(), false)).block(TIMEOUT);
			assertThat(received).as("delivered by the publish itself, not a poll later").containsExactly(1L);
			await().atMost(TIMEOUT)
				.until(() -> this.meters.get("tijori.sse.changes.repeated").counter().count() > repeatedBefore);
			// and one more poll for good measure: still once
			Flux.interval(this.properties.pollInterval()).take(2).blockLast(TIMEOUT);
			assertThat(received).containsExactly(1L);
		}
		finally {
			reading.dispose();
		}
	}

	@Test
	void stoppingTheBusCompletesItsStreamsSoClientsReconnectElsewhere() {
		OrderEventBus own = new OrderEventBus(new OrderEventTail(this.mongo, this.sequence, with(Tail.POLL)),
				this.frames, this.properties, new SimpleMeterRegistry());
		own.start();
		String order = newOrderId();
		OrderEventBus.Subscription subscription = own.subscribe(order);
		StepVerifier.create(subscription.events().map(SseFrames.Frame::version))
			.then(() -> insert(record(order, 1)))
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
				p.pollLookback(), p.maxStreamsPerSession(), p.maxStreams());
	}

	private void insert(OrderEventRecord record) {
		this.mongo.insert(record).block(TIMEOUT);
	}

	/** A record as another instance would store it, at the next position. */
	private OrderEventRecord record(String order, long version) {
		return record(order, version, this.sequence.claim().block(TIMEOUT));
	}

	private static OrderEventRecord record(String order, long version, long seq) {
		return new OrderEventRecord(new ObjectId(), order, version, "ATTEMPTED", Instant.now(), false, seq);
	}

	private static Flux<Long> versions(OrderEventTail polling, String order) {
		return polling.pollOnce().filter(record -> record.orderId().equals(order)).map(OrderEventRecord::version);
	}

	private static String newOrderId() {
		return "ord_bus" + UUID.randomUUID().toString().replace("-", "");
	}


}
