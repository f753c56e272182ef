package com.tijorihq.tijori.events;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

import reactor.core.publisher.Mono;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoOperations;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

import com.tijorihq.tijori.common.MongoIndexes;

/**
 * Positions in {@code order_events}: each record carries a {@code seq}, unique by index, so the insert that stores a
 * change also claims its place (no counter document, no extra write). An instance claims the next position after
 * the highest it has seen stored (its own inserts, the tail's reads); when another instance took it first, the
 * insert fails on {@value #INDEX} and the instance looks ahead for the new end. The polling tail then reads
 * positions after the last it passed, by key ({@code seq $in [...]}), which the embedded server answers from its
 * unique index: it never re-reads what it has passed, and an idle poll is one point lookup per position asked.
 */
@Component
class EventSequence {

	static final String INDEX = "uniq_seq";

	/** Positions asked for per lookup. */
	static final int WINDOW = 64;

	private final ReactiveMongoOperations mongo;

	private final Mono<Void> indexes;

	/** The highest position known to be taken; -1 until it is looked up. */
	private final AtomicLong highest = new AtomicLong(-1);

	EventSequence(ReactiveMongoOperations mongo) {
		this.mongo = mongo;
		this.indexes = MongoIndexes.ensure(mongo, OrderEventRecord.COLLECTION,
				new Index().on("seq", Sort.Direction.ASC).unique().sparse().named(INDEX));
	}

	/** The position for the next insert of this instance. */
	Mono<Long> claim() {
		return known().map(ignored -> this.highest.incrementAndGet());
	}

	/** A position is taken (seen stored by anyone). */
	void taken(long seq) {
		this.highest.accumulateAndGet(seq, Math::max);
	}

	/**
	 * After losing {@code seq} to another instance: moves past every position taken from there on, looking ahead a
	 * window at a time.
	 */
	Mono<Void> skipPast(long seq) {
		return at(LongStream.rangeClosed(seq, seq + WINDOW - 1).boxed().toList()).flatMap(found -> {
			found.forEach(record -> taken(record.seq()));
			return (found.size() == WINDOW) ? skipPast(seq + WINDOW) : Mono.<Void>empty();
		});
	}

	/**
	 * The highest position taken, found in about 2·log2(n) point lookups (doubling, then halving) rather than a sort:
	 * the embedded server would sort the whole collection. Positions are taken in order, so above a missing one
	 * there are at most the few an insert in flight left open.
	 */
	Mono<Long> known() {
		long current = this.highest.get();
		if (current >= 0) {
			return Mono.just(current);
		}
		return this.indexes.then(grow(1)).doOnNext(this::taken).map(found -> this.highest.get());
	}

	private Mono<Long> grow(long probe) {
		return exists(probe).flatMap(present -> present ? grow(probe * 2) : halve(probe / 2, probe));
	}

	/** {@code low} is taken (or 0), {@code high} is not. */
	private Mono<Long> halve(long low, long high) {
		if (high - low <= 1) {
			return Mono.just(low);
		}
		long middle = low + (high - low) / 2;
		return exists(middle).flatMap(present -> present ? halve(middle, high) : halve(low, middle));
	}

	private Mono<Boolean> exists(long seq) {
		return this.mongo.exists(Query.query(Criteria.where("seq").is(seq)), OrderEventRecord.class);
	}

	/** The records at these positions (those that exist), by key. */
	Mono<List<OrderEventRecord>> at(List<Long> positions) {
		return this.indexes
			.then(this.mongo.find(Query.query(Criteria.where("seq").in(positions)), OrderEventRecord.class)
				.collectList());
	}

	static boolean lostPosition(Throwable ex) {
		String message = ex.getMessage();
		return message != null && message.contains(INDEX);
	}

}
