package com.tijorihq.tijori.checkout;

import java.time.Duration;
import java.time.Instant;

import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoOperations;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import com.tijorihq.tijori.checkout.OrderDocument.OrderEvent;
import com.tijorihq.tijori.common.MongoIndexes;

/**
 * Copies each order's status changes into {@code order_events}. The change itself is written with the order (the
 * order's {@code events} are the outbox); this copy happens right after, and a relay repeats it for any order whose
 * copy was interrupted by a crash, so no event is ever lost and none is stored twice.
 */
@Component
public class OrderEventLog {

	private static final Logger log = LoggerFactory.getLogger(OrderEventLog.class);

	private final ReactiveMongoOperations mongo;

	private final OrderRepository orders;

	private final Mono<Void> indexes;

	OrderEventLog(ReactiveMongoOperations mongo, OrderRepository orders) {
		this.mongo = mongo;
		this.orders = orders;
		this.indexes = MongoIndexes.ensure(mongo, OrderEventRecord.COLLECTION,
				new Index().on("orderId", Sort.Direction.ASC).on("version", Sort.Direction.ASC).unique()
					.named("uniq_order_version"));
	}

	/** The order's events after {@code afterVersion}, oldest first. */
	public Flux<OrderEventRecord> since(String orderId, long afterVersion) {
		Query query = Query.query(Criteria.where("orderId").is(orderId).and("version").gt(afterVersion))
			.with(Sort.by("version"));
		return this.indexes.thenMany(this.mongo.find(query, OrderEventRecord.class));
	}

	Mono<Void> publish(OrderDocument order) {
		return Flux.fromIterable(order.events())
			.filter(event -> event.version() == order.version())
			.concatMap(event -> insert(order.publicId(), event))
			.then(this.orders.markEventsPublished(order.publicId(), order.version()));
	}

	/** Re-publishes the events of orders whose copy did not finish (a crash between the two writes). */
	@Scheduled(fixedDelayString = "${tijori.checkout.event-relay-interval:PT10S}", initialDelay = 5_000)
	Mono<Void> relay() {
		return this.orders.findWithPendingEvents(Instant.now().minus(Duration.ofSeconds(5)), 500)
			.concatMap(order -> Flux.fromIterable(order.events())
				.concatMap(event -> insert(order.publicId(), event))
				.then(this.orders.markEventsPublished(order.publicId(), order.version())))
			.onErrorResume(ex -> {
				log.warn("Order event relay failed, will retry: {}", ex.toString());
				return Mono.empty();
			})
			.then();
	}

	private Mono<Void> insert(String orderId, OrderEvent event) {
		return this.indexes
			.then(this.mongo.insert(new OrderEventRecord(new ObjectId(), orderId, event.version(), event.status(),
					event.at())))
			.onErrorResume(DuplicateKeyException.class, ex -> Mono.empty())
			.then();
	}

}
