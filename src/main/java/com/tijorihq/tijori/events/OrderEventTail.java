package com.tijorihq.tijori.events;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;

import com.mongodb.MongoCommandException;
import com.mongodb.client.model.changestream.OperationType;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ChangeStreamEvent;
import org.springframework.data.mongodb.core.ChangeStreamOptions;
import org.springframework.data.mongodb.core.ReactiveMongoOperations;
import org.springframework.data.mongodb.core.aggregation.Aggregation;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/**
 * Follows every insert into {@code order_events}, for all orders at once. A change stream when the server offers
 * one that waits for data (MongoDB replica sets, Atlas), resumed by its token after an error; otherwise a polling
 * tail: one {@code _id} range query per interval. The mode is decided once, by asking the server, and logged.
 */
@Component
class OrderEventTail {

	private static final Logger log = LoggerFactory.getLogger(OrderEventTail.class);

	private static final String COLLECTION = OrderEventRecord.COLLECTION;

	private static final int PAGE = 500;

	/** How long the probe's read may wait; a server that answers much faster did not wait at all. */
	private static final long PROBE_AWAIT_MS = 1000;

	private final ReactiveMongoOperations mongo;

	private final EventsProperties properties;

	private volatile Decision decision;

	/** The change stream's position: written and read only by the one sequential tail. */
	private volatile BsonValue resumeToken;

	/** Ids the polling tail already passed on, within its look-back window; touched only by the sequential tail. */
	private final NavigableSet<ObjectId> seen = new TreeSet<>();

	OrderEventTail(ReactiveMongoOperations mongo, EventsProperties properties) {
		this.mongo = mongo;
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
	 * One query for all orders: ids from the look-back window that this tail has not passed on yet. ObjectIds
	 * are made by each instance, so a later insert may carry a smaller id than one already seen; the window
	 * (plus the {@code seen} set) makes sure it is still found, once.
	 */
	Flux<OrderEventRecord> pollOnce() {
		return Flux.defer(() -> {
			ObjectId from = ObjectId
				.getSmallestWithDate(Date.from(Instant.now().minus(this.properties.pollLookback())));
			this.seen.headSet(from).clear();
			return page(Criteria.where("_id").gte(from));
		});
	}

	private Flux<OrderEventRecord> page(Criteria range) {
		Query query = Query.query(range).with(Sort.by("_id")).limit(PAGE);
		return this.mongo.find(query, OrderEventRecord.class).collectList().flatMapMany(found -> {
			Flux<OrderEventRecord> fresh = Flux.fromIterable(found).filter(record -> this.seen.add(record.id()));
			if (found.size() < PAGE) {
				return fresh;
			}
			ObjectId last = found.get(found.size() - 1).id();
			return fresh.concatWith(Flux.defer(() -> page(Criteria.where("_id").gt(last))));
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
