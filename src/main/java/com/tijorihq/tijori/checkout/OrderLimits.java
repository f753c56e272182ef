package com.tijorihq.tijori.checkout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import com.tijorihq.tijori.accounts.TijoriUser;
import com.tijorihq.tijori.common.TijoriException;

/**
 * Per-buyer limits on new orders: a rate (per instance, in memory) and a cap on orders waiting for payment.
 * <p>
 * The cap costs no database command on a normal request: each instance remembers when it created each buyer's
 * recent orders, and only once it has created half the cap's worth within the unpaid-order lifetime
 * ({@code tijori.reconcile.expire-after}; older unpaid orders are expired by then) does it count the buyer's
 * open orders in the database (one count on the {@code userId} index), and then on each further order. The
 * count is exact, so the cap holds exactly with up to two instances; with more, a buyer spread evenly over N of
 * them could get up to N × half the cap before their counts start.
 */
@Component
class OrderLimits {

	private final OrderLimitsProperties properties;

	private final OrderRepository orders;

	private final Duration openLifetime;

	/** Per buyer id: this instance's recent order requests and creations. */
	private final Cache<String, Recent> recent;

	OrderLimits(OrderLimitsProperties properties, OrderRepository orders, ReconcileProperties reconcile) {
		this.properties = properties;
		this.orders = orders;
		this.openLifetime = reconcile.expireAfter();
		this.recent = Caffeine.newBuilder()
			.expireAfterAccess(max(this.openLifetime, properties.rateWindow()))
			.maximumSize(100_000)
			.build();
	}

	/** Errors with 429 when the buyer asks too fast or has too many orders waiting for payment. */
	Mono<Void> admit(TijoriUser user) {
		return Mono.defer(() -> check(user, Instant.now()));
	}

	private Mono<Void> check(TijoriUser user, Instant now) {
		Recent mine = this.recent.get(user.id(), id -> new Recent());
		Duration wait = mine.request(now, this.properties.rate(), this.properties.rateWindow());
		if (wait != null) {
			return Mono.error(new TijoriException(HttpStatus.TOO_MANY_REQUESTS, "order_rate_limited",
					"Too many new orders in a short time; try again in a moment.", List.of(), wait));
		}
		if (mine.created(now.minus(this.openLifetime)) < (this.properties.maxOpen() + 1) / 2) {
			return Mono.empty();
		}
		return this.orders.countAwaitingPayment(user.id(), now.minus(this.openLifetime))
			.flatMap(open -> (open < this.properties.maxOpen()) ? Mono.empty()
					: Mono.error(new TijoriException(HttpStatus.TOO_MANY_REQUESTS, "too_many_open_orders",
							"You have " + open + " orders waiting for payment; pay one of them, or wait for one to expire.")));
	}

	/** This instance created a new order for the buyer. */
	void created(TijoriUser user) {
		this.recent.get(user.id(), id -> new Recent()).create(Instant.now(), this.properties.maxOpen());
	}

	private static Duration max(Duration a, Duration b) {
		return (a.compareTo(b) >= 0) ? a : b;
	}

	/** One buyer's recent requests and creations on this instance, oldest first. */
	private static final class Recent {

		private final Deque<Instant> requests = new ArrayDeque<>();

		private final Deque<Instant> creations = new ArrayDeque<>();

		/** Counts the request; null if it is within the rate, else how long until it would be. */
		synchronized Duration request(Instant now, int rate, Duration window) {
			while (!this.requests.isEmpty() && !this.requests.peekFirst().isAfter(now.minus(window))) {
				this.requests.removeFirst();
			}
			if (this.requests.size() >= rate) {
				return Duration.between(now, this.requests.peekFirst().plus(window));
			}
			this.requests.addLast(now);
			return null;
		}

		synchronized void create(Instant now, int keep) {
			this.creations.addLast(now);
			while (this.creations.size() > keep) {
				this.creations.removeFirst();
			}
		}

		synchronized int created(Instant since) {
			while (!this.creations.isEmpty() && this.creations.peekFirst().isBefore(since)) {
				this.creations.removeFirst();
			}
			return this.creations.size();
		}

	}

}
