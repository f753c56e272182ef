package com.tijorihq.tijori.events;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import com.mongodb.MongoCommandException;
import com.mongodb.client.model.changestream.OperationType;
import org.bson.BsonValue;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import org.springframework.data.mongodb.core.ChangeStreamEvent;
import org.springframework.data.mongodb.core.ChangeStreamOptions;
import org.springframework.data.mongodb.core.ReactiveMongoOperations;
import org.springframework.data.mongodb.core.aggregation.Aggregation;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.stereotype.Component;

/**
 * Follows every insert into {@code order_events}, for all orders at once. A change stream when the server offers
 * one that waits for data (MongoDB replica sets, Atlas), resumed by its token after an error; otherwise a polling
 * tail: one lookup of the next positions ({@link EventSequence}) per interval. The mode is decided once, by asking the server, and logged.
 */
@Component
class OrderEventTail {

	private static final Logger log = LoggerFactory.getLogger(OrderEventTail.class);

	private static final String COLLECTION = OrderEventRecord.COLLECTION;

	/** Gaps the polling tail waits for at most (each is one more key in its lookup). */
	private static final int MAX_GAPS = 4 * EventSequence.WINDOW;

	/** How long the probe's read may wait; a server that answers much faster did not wait at all. */
	private static final long PROBE_AWAIT_MS = 1000;

	private final ReactiveMongoOperations mongo;

	private final EventsProperties properties;

	private volatile Decision decision;

	/** The change stream's position: written and read only by the one sequential tail. */
	private volatile BsonValue resumeToken;

	private final EventSequence sequence;

	/** The highest position the polling tail passed on (-1 before it looked); touched only by the one tail. */
	private long passed = -1;

	/** Positions below {@link #passed} not stored yet when it passed them, with when that was seen (nanoTime). */
	private final Map<Long, Long> gaps = new HashMap<>();

	OrderEventTail(ReactiveMongoOperations mongo, EventSequence sequence, EventsProperties properties) {
		this.mongo = mongo;
		this.sequence = sequence;
		this.properties = properties;
	}

	enum Mode {

		CHANGE_STREAM, POLL

	}

	record Decision(Mode mode, String why) {
	}

	/** The mode in use, once decided (null before the first successful start). */
	Mode mode() {
		Decision current = this.decision;
		return (current != null) ? current.mode() : null;
	}

	/**
	 * Every event inserted from (about) now on, without end: errors are retried with backoff, and the change
	 * stream resumes where it stopped.
	 */
	Flux<OrderEventRecord> follow() {
		return Flux.defer(() -> decide().flatMapMany(decided -> (decided.mode() == Mode.CHANGE_STREAM)
				? changeStream() : poll()))
			// a tail must not end: a closed cursor (or an invalidated stream) is treated like a dropped connection
			.concatWith(Mono.error(() -> new IllegalStateException("order_events tail ended")))
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200))
				.maxBackoff(Duration.ofSeconds(10))
				.transientErrors(true)
				.doBeforeRetry(signal -> log.warn("Order event tail ({}) failed, resuming: {}", mode(),
						signal.failure().toString())));
	}

	private Mono<Decision> decide() {
		Decision known = this.decision;
		if (known != null) {
			return Mono.just(known);
		}
		Mono<Decision> decided = switch (this.properties.tail()) {
			case POLL -> Mono.just(new Decision(Mode.POLL, "configured (tijori.events.tail=poll)"));
			case CHANGE_STREAM ->
				Mono.just(new Decision(Mode.CHANGE_STREAM, "configured (tijori.events.tail=change-stream)"));
			case AUTO -> probe();
		};
		return decided.doOnNext(result -> {
			this.decision = result;
			if (result.mode() == Mode.CHANGE_STREAM) {
				log.info("Order event tail: CHANGE STREAM on {} ({})", COLLECTION, result.why());
			}
			else {
				log.info("Order event tail: POLLING {} every {} ({})", COLLECTION, this.properties.pollInterval(),
						result.why());
			}
		});
	}

	/**
	 * Opens a change stream cursor and reads from it once with a wait: a server without change streams refuses
	 * the first step; one that answers the read at once with nothing (mongo-java-server) would make the driver's
	 * change stream spin on it, so polling is the better choice there.
	 */
	Mono<Decision> probe() {
		Document open = new Document("aggregate", COLLECTION)
			.append("pipeline", List.of(new Document("$changeStream", new Document())))
			.append("cursor", new Document());
		return this.mongo.executeCommand(open).flatMap(reply -> {
			long cursorId = ((Number) reply.get("cursor", Document.class).get("id")).longValue();
			return awaits(cursorId, 3).flatMap(awaits -> closeCursor(cursorId).thenReturn(awaits
					? new Decision(Mode.CHANGE_STREAM, "the server waits for new data on change streams")
					: new Decision(Mode.POLL, "the server supports change streams but answers reads without "
							+ "waiting for data, so a change stream would spin")));
		}).onErrorResume(OrderEventTail::refusedByServer, ex -> Mono.just(new Decision(Mode.POLL,
				"the server has no change streams: " + rootCause(ex).getMessage())));
	}

	private Mono<Boolean> awaits(long cursorId, int attempts) {
		Document getMore = new Document("getMore", cursorId).append("collection", COLLECTION)
			.append("maxTimeMS", PROBE_AWAIT_MS);
		return Mono.defer(() -> {
			long started = System.nanoTime();
			return this.mongo.executeCommand(getMore).flatMap(reply -> {
				List<?> batch = reply.get("cursor", Document.class).getList("nextBatch", Object.class);
				if (batch != null && !batch.isEmpty()) {
					// events arrived while probing: the time says nothing; ask again (or trust the server)
					return (attempts > 1) ? awaits(cursorId, attempts - 1) : Mono.just(true);
				}
				return Mono.just(Duration.ofNanos(System.nanoTime() - started).toMillis() >= PROBE_AWAIT_MS / 2);
			});
		})
			// the server opened the stream; if the follow-up read fails (e.g. another mongos), trust the server
			.onErrorResume(ex -> Mono.just(true));
	}

	private Mono<Void> closeCursor(long cursorId) {
		return this.mongo.executeCommand(new Document("killCursors", COLLECTION).append("cursors", List.of(cursorId)))
			.then()
			.onErrorResume(ex -> Mono.empty());
	}

	Flux<OrderEventRecord> changeStream() {
		ChangeStreamOptions.ChangeStreamOptionsBuilder options = ChangeStreamOptions.builder()
			.filter(Aggregation.newAggregation(Aggregation.match(Criteria.where("operationType").is("insert"))));
		BsonValue token = this.resumeToken;
		if (token != null) {
			options.resumeAfter(token);
		}
		else {
			// the first open looks back a little: an insert just before the tail starts must not be missed
			options.resumeAt(Instant.now().minus(this.properties.pollLookback()));
		}
		return this.mongo.changeStream(COLLECTION, options.build(), OrderEventRecord.class)
			.doOnNext(this::remember)
			.mapNotNull(ChangeStreamEvent::getBody)
			.doOnNext(record -> {
				if (record.seq() != null) {
					this.sequence.taken(record.seq());
				}
			})
			.doOnError(ex -> {
				if (historyLost(ex)) {
					log.error("Order event change stream cannot resume (its position left the oplog); restarting "
							+ "from now. Streams open now get the statuses they missed on their next event or "
							+ "reconnect: {}", ex.toString());
					this.resumeToken = null;
				}
			});
	}

	private void remember(ChangeStreamEvent<OrderEventRecord> event) {
		if (event.getOperationType() == OperationType.INVALIDATE) {
			// the collection was dropped or renamed: the old position leads nowhere
			this.resumeToken = null;
		}
		else if (event.getResumeToken() != null) {
			this.resumeToken = event.getResumeToken();
		}
	}

	Flux<OrderEventRecord> poll() {
		return Flux.interval(Duration.ZERO, this.properties.pollInterval())
			.onBackpressureDrop()
			.concatMap(tick -> pollOnce(), 1);
	}

	/**
	 * One lookup by key for all orders: the positions after the highest this tail passed, plus the few it saw
	 * skipped (an insert still in flight on another instance). An idle poll finds nothing and reads nothing. A gap
	 * older than the look-back is given up: a change stored that late reaches open streams on their next change or
	 * reconnect, as after any lost tail.
	 */
	Flux<OrderEventRecord> pollOnce() {
		return Flux.defer(() -> {
			if (this.passed < 0) {
				// starts from (about) now: a window back, for inserts that raced the start; a change already
				// given to a stream is not given again
				return this.sequence.known()
					.doOnNext(known -> this.passed = Math.max(0, known - EventSequence.WINDOW))
					.thenMany(Flux.defer(this::pollOnce));
			}
			long now = System.nanoTime();
			this.gaps.values().removeIf(since -> now - since > this.properties.pollLookback().toNanos());
			List<Long> positions = new ArrayList<>(this.gaps.keySet());
			LongStream.rangeClosed(this.passed + 1, this.passed + EventSequence.WINDOW).forEach(positions::add);
			long before = this.passed;
			return this.sequence.at(positions).flatMapMany(found -> {
				List<OrderEventRecord> fresh = found.stream()
					.sorted(Comparator.comparing(OrderEventRecord::seq))
					.filter(record -> record.seq() > this.passed || this.gaps.remove(record.seq()) != null)
					.toList();
				long highest = this.passed;
				for (OrderEventRecord record : fresh) {
					if (record.seq() > highest) {
						for (long skipped = highest + 1; skipped < record.seq() && this.gaps.size() < MAX_GAPS; skipped++) {
							this.gaps.putIfAbsent(skipped, now);
						}
						highest = record.seq();
					}
				}
				this.passed = highest;
				this.sequence.taken(highest);
				long newer = fresh.stream().filter(record -> record.seq() > before).count();
				Flux<OrderEventRecord> out = Flux.fromIterable(fresh);
				// a full window: more may be waiting right behind it
				return (newer >= EventSequence.WINDOW) ? out.concatWith(Flux.defer(this::pollOnce)) : out;
			});
		});
	}

	/** The server answered with an error (as opposed to not answering at all). */
	private static boolean refusedByServer(Throwable ex) {
		return rootCause(ex) instanceof MongoCommandException;
	}

	private static boolean historyLost(Throwable ex) {
		// 286 ChangeStreamHistoryLost, 280 ChangeStreamFatalError
		return rootCause(ex) instanceof MongoCommandException command
				&& (command.getErrorCode() == 286 || command.getErrorCode() == 280);
	}

	private static Throwable rootCause(Throwable ex) {
		Throwable current = ex;
		while (current.getCause() != null && current.getCause() != current) {
			current = current.getCause();
		}
		return current;
	}

}
