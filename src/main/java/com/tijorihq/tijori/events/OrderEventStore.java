package com.tijorihq.tijori.events;

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
 * index), the instance's {@link OrderEventTail} follows them and reconnecting streams replay from them.
 */
@Component
class OrderEventStore implements OrderEventPublisher {

	private final ReactiveMongoOperations mongo;

	private final Mono<Void> indexes;

	OrderEventStore(ReactiveMongoOperations mongo) {
		this.mongo = mongo;
		this.indexes = MongoIndexes.ensure(mongo, OrderEventRecord.COLLECTION,
				new Index().on("orderId", Sort.Direction.ASC).on("version", Sort.Direction.ASC).unique()
					.named("uniq_order_version"));
	}

	@Override
	public Mono<Void> publishAll(java.util.List<OrderStatusEvent> events) {
		if (events.size() <= 1) {
			return events.isEmpty() ? Mono.empty() : publish(events.get(0));
		}
		// one insert command for the lot; a repeat (some already stored) falls back to one at a time
		return this.indexes
			.then(Mono.defer(() -> this.mongo.insertAll(events.stream().map(OrderEventRecord::of).toList()).then()))
			.onErrorResume(DuplicateKeyException.class,
					ex -> reactor.core.publisher.Flux.fromIterable(events).concatMap(this::publish).then());
	}

	@Override
	public void announce(OrderStatusEvent event) {
		// this instance's streams learn of the change from the tail once the relay has stored it
	}

	@Override
	public Mono<Void> publish(OrderStatusEvent event) {
		return this.indexes.then(Mono.defer(() -> this.mongo.insert(OrderEventRecord.of(event))))
			.onErrorResume(DuplicateKeyException.class, ex -> Mono.empty())
			.then();
	}

	/** The order's events after {@code afterVersion}, oldest first. */
	Flux<OrderStatusEvent> since(String orderId, long afterVersion) {
		Query query = Query.query(Criteria.where("orderId").is(orderId).and("version").gt(afterVersion))
			.with(Sort.by("version"));
		return this.indexes.thenMany(this.mongo.find(query, OrderEventRecord.class)).map(OrderEventRecord::toEvent);
	}

}
