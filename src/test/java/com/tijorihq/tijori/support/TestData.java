package com.tijorihq.tijori.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.bson.Document;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

/** What several tests need: stored state to assert on, and truly concurrent calls. */
public final class TestData {

	private TestData() {
	}

	/** The statuses in {@code order_events} for one order, oldest first (stored names, e.g. {@code PAID}). */
	/** The order's status changes, oldest first, as its outbox records them (the order document's events). */
	@SuppressWarnings("unchecked")
	public static List<String> eventStatuses(ReactiveMongoTemplate mongo, String orderId) {
		Document order = mongo.findOne(Query.query(Criteria.where("publicId").is(orderId)), Document.class, "orders")
			.block(Duration.ofSeconds(10));
		return (order == null) ? List.of()
				: ((List<Document>) order.get("events")).stream().map(event -> event.getString("status")).toList();
	}

	/** The order's status changes {@code events} has been given ({@code order_events}), oldest first. */
	public static List<String> publishedEventStatuses(ReactiveMongoTemplate mongo, String orderId) {
		return mongo
			.find(Query.query(Criteria.where("orderId").is(orderId)).with(Sort.by("version")), Document.class,
					"order_events")
			.map(doc -> doc.getString("status"))
			.collectList()
			.block(Duration.ofSeconds(10));
	}

	/** Runs {@code task} on {@code n} threads released together; returns the results in submission order. */
	public static <T> List<T> concurrently(int n, Callable<T> task) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(n);
		CountDownLatch start = new CountDownLatch(1);
		try {
			List<Future<T>> futures = new ArrayList<>();
			for (int i = 0; i < n; i++) {
				futures.add(pool.submit(() -> {
					start.await();
					return task.call();
				}));
			}
			start.countDown();
			List<T> results = new ArrayList<>();
			for (Future<T> future : futures) {
				results.add(future.get(60, TimeUnit.SECONDS));
			}
			return results;
		}
		finally {
			pool.shutdownNow();
		}
	}

}
