package com.tijorihq.tijori.events;

import java.util.List;
import java.util.stream.LongStream;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoOperations;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

import com.tijorihq.tijori.common.MongoIndexes;

/**
 * {@code order_events}, owned here: published changes go in (once each, by the unique {@code (orderId, version)}
 * index, each at its own position of the {@link EventSequence}) and go at once to this instance's own streams;
 * the instances' {@link OrderEventTail}s follow the log and reconnecting streams replay from it.
 */
@Component
class OrderEventStore implements OrderEventPublisher {

	/** Attempts at a position before giving up (each lost one moves past what other instances took meanwhile). */
	private static final int CLAIMS = 8;

	private final ReactiveMongoOperations mongo;

	private final EventSequence sequence;

	private final OrderEventBus bus;

	private final Mono<Void> indexes;

	OrderEventStore(ReactiveMongoOperations mongo, EventSequence sequence, OrderEventBus bus) {
		this.mongo = mongo;
		this.sequence = sequence;
		this.bus = bus;
		this.indexes = MongoIndexes.ensure(mongo, OrderEventRecord.COLLECTION,
				new Index().on("orderId", Sort.Direction.ASC).on("version", Sort.Direction.ASC).unique()
					.named("uniq_order_version"));
	}

	@Override
	public Mono<Void> publishAll(List<OrderStatusEvent> events) {
		if (events.size() <= 1) {
			return events.isEmpty() ? Mono.empty() : publish(events.get(0));
		}
		// one insert command for the lot, at consecutive positions; a repeat (some already stored) or a position
		// another instance took falls back to one at a time
		return this.indexes.then(Mono.defer(() -> Flux.fromIterable(events)
			.concatMap(event -> this.sequence.claim().map(seq -> OrderEventRecord.of(event, seq)))
			.collectList()
			.flatMap(records -> this.mongo.insertAll(records).doOnNext(this::stored).then())))
			.onErrorResume(DuplicateKeyException.class, ex -> Flux.fromIterable(events).concatMap(this::publish).then());
	}

	@Override
	public void announce(OrderStatusEvent event) {
		// at once to this instance's streams; storing it (by the owner's relay) hands it to the others, and the
		// bus gives each stream each version once, whichever comes first
		this.bus.deliver(event);
	}

	@Override
	public Mono<Void> publish(OrderStatusEvent event) {
		return this.indexes.then(Mono.defer(() -> store(event, CLAIMS)));
	}

	private Mono<Void> store(OrderStatusEvent event, int attempts) {
		return this.sequence.claim()
			.flatMap(seq -> this.mongo.insert(OrderEventRecord.of(event, seq))
				.doOnNext(this::stored)
				.then()
				.onErrorResume(DuplicateKeyException.class, ex -> {
					if (!EventSequence.lostPosition(ex)) {
						return Mono.empty(); // the change was stored before
					}
					if (attempts <= 1) {
						return Mono.error(ex);
					}
					return this.sequence.skipPast(seq).then(Mono.defer(() -> store(event, attempts - 1)));
				}));
	}

	/** Stored by this instance: its own streams get it now; the other instances' tails find it. */
	private void stored(OrderEventRecord record) {
		this.sequence.taken(record.seq());
		this.bus.deliver(record.toEvent());
	}

	/**
	 * The order's events after {@code afterVersion} up to {@code upToVersion}, oldest first: one lookup by the
	 * unique key per version (the embedded server would scan the whole collection for a range of versions).
	 */
	Flux<OrderStatusEvent> since(String orderId, long afterVersion, long upToVersion) {
		return this.indexes.thenMany(Flux.defer(() -> Flux.fromStream(
				LongStream.rangeClosed(afterVersion + 1, upToVersion).boxed())))
			.concatMap(version -> this.mongo.findOne(
					Query.query(Criteria.where("orderId").is(orderId).and("version").is(version)),
					OrderEventRecord.class))
			.map(OrderEventRecord::toEvent);
	}

}
