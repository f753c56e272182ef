package com.tijorihq.tijori.checkout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.reactor.bulkhead.operator.BulkheadOperator;
import org.bson.types.ObjectId;
import reactor.core.publisher.Mono;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import com.tijorihq.tijori.common.DueKey;
import com.tijorihq.tijori.accounts.TijoriUser;
import com.tijorihq.tijori.catalog.Product;
import com.tijorihq.tijori.catalog.ProductCatalog;
import com.tijorihq.tijori.checkout.OrderDocument.LineItem;
import com.tijorihq.tijori.checkout.OrderDocument.OrderEvent;
import com.tijorihq.tijori.checkout.OrderRequests.Line;
import com.tijorihq.tijori.checkout.OrderRequests.OrderCreateRequest;
import com.tijorihq.tijori.common.GatewayUnavailableException;
import com.tijorihq.tijori.common.Hashes;
import com.tijorihq.tijori.common.Ids;
import com.tijorihq.tijori.common.Money;
import com.tijorihq.tijori.common.Page;
import com.tijorihq.tijori.common.TijoriException;
import com.tijorihq.tijori.gateway.GatewayOrder;
import com.tijorihq.tijori.gateway.GatewayOrderRequest;
import com.tijorihq.tijori.gateway.GatewayHealth;
import com.tijorihq.tijori.gateway.GatewayRejectedException;
import com.tijorihq.tijori.gateway.PaymentGateway;
import com.tijorihq.tijori.gateway.PaymentGateways;

/**
 * Creating and reading orders. Creation persists the Tijori order first, then creates the gateway order under a
 * lease stored on the order (so concurrent retries never create a second one), then stores its id. An order whose
 * gateway call failed stays {@code created} without a gateway order: a retry with the same Idempotency-Key, or the
 * reconciler, finishes it.
 */
@Service
class OrderService {

	static final Duration GATEWAY_LEASE = Duration.ofSeconds(30);

	/** How long an Idempotency-Key stands for its order. */
	static final Duration KEY_LIFETIME = Duration.ofHours(24);

	private final OrderRepository orders;

	private final ProductCatalog catalog;

	private final PaymentGateways gateways;

	private final GatewayHealth health;

	private final AttemptMeters meters;

	/** When a new order is first due for the reconciler (younger ones are left to the browser and webhooks). */
	private final Duration firstReconcile;

	private final OrderLimits limits;

	/** Per gateway: no more checkouts in flight than that gateway can take. */
	private final Map<String, Bulkhead> admission = new ConcurrentHashMap<>();

	OrderService(OrderRepository orders, ProductCatalog catalog, PaymentGateways gateways, GatewayHealth health,
			AttemptMeters meters, OrderLimits limits, ReconcileProperties reconcile) {
		this.orders = orders;
		this.limits = limits;
		this.firstReconcile = reconcile.minAge();
		this.catalog = catalog;
		this.gateways = gateways;
		this.health = health;
		this.meters = meters;
		for (PaymentGateway gateway : gateways.enabled()) {
			this.admission.put(gateway.name(), Bulkhead.of("checkout-admission-" + gateway.name(), BulkheadConfig
				.custom()
				.maxConcurrentCalls(gateway.capacity())
				.maxWaitDuration(Duration.ZERO)
				.build()));
		}
	}

	/** The order, and whether this request created it (201) or found it by its Idempotency-Key (200). */
	record Created(OrderDocument order, boolean fresh) {
	}

	/**
	 * Creates an order, or answers a replay of its Idempotency-Key with the stored one. On the request path: the
	 * product read, the order's insert (which also claims the key, through the unique index on the order's
	 * {@code idempotencyKey}, and holds the gateway lease and the pending {@code created} event), the gateway call,
	 * and one conditional update storing the gateway order and releasing the lease. A replay is answered whatever
	 * changed since (the product deactivated, the gateway refusing work): those checks come first only for new
	 * orders. An {@code auto} order goes to the first usable gateway in order of preference (asked of memory,
	 * never of the database), and on to the next when its gateway order cannot be created.
	 */
	Mono<Created> create(TijoriUser user, OrderCreateRequest request, String idempotencyKey) {
		PaymentGateway gateway;
		try {
			gateway = request.auto() ? firstUsable() : this.gateways.choose(request.gateway());
		}
		catch (TijoriException ex) {
			return Mono.error(ex);
		}
		String scopedKey = (idempotencyKey != null) ? user.id() + ":" + idempotencyKey : null;
		String requestHash = Hashes.sha256Hex(request.canonical());
		// shed load before writing anything: an overloaded gateway must not leave a trail of unpayable orders, and
		// no more checkouts are let in than the gateway can take (the rest get 503 at once, not after a queue)
		var refusal = gateway.refusal();
		if (refusal.isPresent()) {
			return orRefuse(replay(scopedKey, requestHash), refusal.get());
		}
		return this.limits.admit(user)
			.then(price(request))
			.flatMap(items -> insert(user, items, scopedKey, requestHash, gateway, request.auto()))
			.doOnNext(created -> {
				if (created.fresh()) {
					this.limits.created(user);
				}
			})
			.transformDeferred(BulkheadOperator.of(this.admission.get(gateway.name())))
			.onErrorMap(BulkheadFullException.class, ex -> busy())
			.onErrorResume(ex -> (scopedKey != null && answerableByReplay(ex))
					? orRefuse(replay(scopedKey, requestHash), ex) : Mono.error(ex));
	}

	/**
	 * The gateway an {@code auto} order starts at: the first in order of preference that is not down and whose
	 * checkout admission has room; the preferred one when none is (its refusal is then the answer).
	 */
	private PaymentGateway firstUsable() {
		List<PaymentGateway> usable = usable(List.of());
		return usable.isEmpty() ? this.gateways.defaultGateway() : usable.get(0);
	}

	/** Gateways an {@code auto} order may go to now, in order of preference, except those already tried. */
	private List<PaymentGateway> usable(List<String> tried) {
		return this.health.usable(gateway -> !tried.contains(gateway.name())
				&& this.admission.get(gateway.name()).getMetrics().getAvailableConcurrentCalls() > 0);
	}

	/**
	 * Refusals a replay of a known key must not get: the catalog changed, the gateway is refusing work, or the
	 * buyer's limits are reached (a replay is no new order).
	 */
	private static boolean answerableByReplay(Throwable ex) {
		return ex instanceof GatewayUnavailableException || (ex instanceof TijoriException refused
				&& (refused.code().equals("product_not_found") || refused.status() == HttpStatus.TOO_MANY_REQUESTS));
	}

	private static Mono<Created> orRefuse(Mono<Created> replay, Throwable refusal) {
		return replay.switchIfEmpty(Mono.error(refusal));
	}

	/**
	 * The stored order of a live key with a gateway order, as a replay (200); empty when the key is unknown,
	 * expired or its order has no gateway order yet; a 422 when the key was used for another request.
	 */
	private Mono<Created> replay(String scopedKey, String requestHash) {
		if (scopedKey == null) {
			return Mono.empty();
		}
		return this.orders.findByIdempotencyKey(scopedKey)
			.filter(order -> live(order, Instant.now()))
			.flatMap(order -> sameRequest(order, requestHash))
			.filter(order -> order.gatewayOrderId() != null)
			.map(order -> new Created(order, false));
	}

	/**
	 * Inserts the new order (claiming its key) and creates its gateway order. When the key is taken, the order it
	 * stands for is the answer: the same request gets that order (its gateway order finished if need be), another
	 * request a 422; a key past its lifetime is freed for this order. An {@code auto} order whose gateway cannot
	 * create its gateway order moves on to the next usable gateway, a replay of one too.
	 */
	private Mono<Created> insert(TijoriUser user, List<LineItem> items, String scopedKey, String requestHash,
			PaymentGateway gateway, boolean auto) {
		return insertNew(user, items, Ids.next("ord_"), scopedKey, requestHash, gateway)
			.flatMap(order -> failingOver(createAtGateway(order, user), order, user, auto)
				.map(withGateway -> new Created(withGateway, true)))
			.onErrorResume(DuplicateKeyException.class, ex -> this.orders.findByIdempotencyKey(scopedKey)
				.flatMap(holder -> live(holder, Instant.now())
						? sameRequest(holder, requestHash)
							.flatMap(order -> failingOver(ensureGatewayOrder(order, user), order, user, auto))
							.map(order -> new Created(order, false))
						: this.orders.retireIdempotencyKey(holder)
							.then(insertNew(user, items, Ids.next("ord_"), scopedKey, requestHash, gateway))
							.flatMap(order -> failingOver(createAtGateway(order, user), order, user, auto))
							.map(order -> new Created(order, true)))
				// the holder was retired by a concurrent request between our insert and our read: try again
				.switchIfEmpty(Mono.error(() -> new TijoriException(HttpStatus.CONFLICT, "idempotency_key_in_use",
						"Another request with this Idempotency-Key is in progress.", List.of(), Duration.ofSeconds(1)))));
	}

	/** Keys are honoured for {@link #KEY_LIFETIME}; after that the same key makes a new order. */
	private static boolean live(OrderDocument order, Instant now) {
		return order.createdAt().plus(KEY_LIFETIME).isAfter(now);
	}

	private static Mono<OrderDocument> sameRequest(OrderDocument order, String requestHash) {
		if (!requestHash.equals(order.requestHash())) {
			return Mono.error(new TijoriException(HttpStatus.UNPROCESSABLE_ENTITY, "idempotency_key_reused",
					"This Idempotency-Key was used with a different request body."));
		}
		return Mono.just(order);
	}

	Mono<OrderDocument> get(TijoriUser user, String orderId) {
		return owned(user, orderId);
	}

	Mono<Page<OrderDocument>> list(TijoriUser user, Page.Request page) {
		String owner = user.isAdmin() ? null : user.id();
		return this.orders.findPage(owner, page.offset(), page.size())
			.collectList()
			.zipWith(this.orders.count(owner))
			.map(result -> new Page<>(result.getT1(), page.page(), page.size(), result.getT2()));
	}

	/** The public key of the order's gateway, for its checkout; null when that gateway is gone. */
	String keyId(OrderDocument order) {
		return this.gateways.find(order.gateway()).map(PaymentGateway::publicKeyId).orElse(null);
	}

	/** The order if it exists and the user may see it; otherwise 404, the same as for an unknown id. */
	Mono<OrderDocument> owned(TijoriUser user, String orderId) {
		if (!Ids.looksLike("ord_", orderId)) {
			return Mono.error(TijoriException.notFound("Order"));
		}
		return this.orders.find(orderId)
			.filter(order -> user.isAdmin() || order.userId().equals(user.id()))
			.switchIfEmpty(Mono.error(() -> TijoriException.notFound("Order")));
	}

	private Mono<List<LineItem>> price(OrderCreateRequest request) {
		List<String> ids = request.items().stream().map(Line::productId).toList();
		if (new HashSet<>(ids).size() != ids.size()) {
			return Mono.error(TijoriException.invalid("items", "list each product once; use quantity for more"));
		}
		return this.catalog.findOrderable(ids).flatMap(products -> {
			List<LineItem> lines = new ArrayList<>();
			List<TijoriException.FieldError> unknown = new ArrayList<>();
			String currency = null;
			for (int i = 0; i < request.items().size(); i++) {
				Line line = request.items().get(i);
				Product product = products.get(line.productId());
				if (product == null) {
					unknown.add(new TijoriException.FieldError("items[" + i + "].productId",
							"no such product, or it can no longer be ordered"));
					continue;
				}
				if (currency != null && !currency.equals(product.price().currency())) {
					return Mono.error(TijoriException.invalid("items", "all products of one order must share a currency"));
				}
				currency = product.price().currency();
				lines.add(new LineItem(product.id(), product.name(), line.quantity(), product.price().amount(),
						product.price().currency()));
			}
			if (!unknown.isEmpty()) {
				return Mono.error(new TijoriException(HttpStatus.NOT_FOUND, "product_not_found",
						"Some products do not exist or can no longer be ordered.", unknown, null));
			}
			return Mono.just(lines);
		});
	}

	/**
	 * Stores a new order holding its gateway lease (this request creates the gateway order next), its pending
	 * {@code created} event (handed to {@code events} by the relay, off the request path) and the time the
	 * reconciler first looks at it.
	 */
	private Mono<OrderDocument> insertNew(TijoriUser user, List<LineItem> items, String orderId, String scopedKey,
			String requestHash, PaymentGateway gateway) {
		Money total = items.stream()
			.map(line -> line.unitPrice().times(line.quantity()))
			.reduce(Money::plus)
			.orElseThrow();
		Instant now = Instant.now();
		OrderDocument order = new OrderDocument(new ObjectId(), orderId, user.id(), scopedKey,
				(scopedKey != null) ? requestHash : null, items, total.amount(), total.currency(), OrderStatus.CREATED,
				1, 0L, gateway.name(), null, List.of(), now.plus(GATEWAY_LEASE), 1, Map.of(), null,
				List.of(new OrderEvent(1, OrderStatus.CREATED, now)), DueKey.at(now, orderId), 0L, 0, 0, List.of(),
				now, now, Map.of(), DueKey.at(now.plus(this.firstReconcile), orderId), null);
		return this.orders.insert(order);
	}

	/**
	 * A checkout the buyer can open now: the order as it is while its current attempt can still be paid; a new
	 * attempt (a new gateway order) after the current one failed, at a gateway that takes each order id once (the
	 * old attempt stays the order's, so a late success on it still counts); the first attempt itself when creating
	 * it was interrupted. 409 for an order that can no longer be paid.
	 */
	Mono<OrderDocument> renewCheckout(TijoriUser user, String orderId) {
		return owned(user, orderId).flatMap(order -> {
			if (!order.status().awaitingPayment()) {
				return Mono.error(TijoriException.conflict("order_not_payable", "This order can no longer be paid."));
			}
			if (order.gatewayOrderId() == null) {
				return ensureGatewayOrder(order, user);
			}
			PaymentGateway gateway = this.gateways.of(order.gateway());
			if (order.status() != OrderStatus.FAILED || gateway.capabilities().retriesOnOneOrder()) {
				// an attempt that can still succeed is the one to pay on: never a second one beside it
				return Mono.just(order);
			}
			var refusal = gateway.refusal();
			if (refusal.isPresent()) {
				return Mono.error(refusal.get());
			}
			return gateway.createOrder(gatewayOrderRequest(order, Ids.next("att_"), user))
				.flatMap(gatewayOrder -> forExactly(order, gatewayOrder))
				.doOnNext(gatewayOrder -> this.meters.created(gateway.name()))
				.doOnError(ex -> this.meters.failed(gateway.name(), ex))
				.flatMap(gatewayOrder -> this.orders
					.appendAttempt(order.publicId(), order.gatewayOrderId(), attempt(order, gatewayOrder, Instant.now()))
					// a concurrent renewal or a late payment changed the order first: that state stands
					.switchIfEmpty(Mono.defer(() -> this.orders.find(order.publicId()))));
		});
	}

	/** A new attempt for this gateway order. */
	static OrderDocument.Attempt attempt(OrderDocument order, GatewayOrder gatewayOrder, Instant now) {
		return new OrderDocument.Attempt(Ids.derived("att_", order.publicId() + "/" + gatewayOrder.id()),
				order.gateway(), gatewayOrder.id(), gatewayOrder.amount().amount(), gatewayOrder.amount().currency(),
				gatewayOrder.checkout(), now);
	}

	/**
	 * Makes sure the order has its gateway order, creating it at most once. {@code user} is the buyer, or null
	 * when the reconciler finishes an interrupted creation.
	 */
	Mono<OrderDocument> ensureGatewayOrder(OrderDocument order, TijoriUser user) {
		if (order.gatewayOrderId() != null) {
			return Mono.just(order);
		}
		Instant now = Instant.now();
		return this.orders.takeGatewayLease(order.publicId(), now, now.plus(GATEWAY_LEASE))
			.flatMap(leased -> createAtGateway(leased, user))
			.switchIfEmpty(Mono.defer(() -> createdByAnother(order.publicId())));
	}

	/** The order once another request created its gateway order; a 409 while that request is still at it. */
	private Mono<OrderDocument> createdByAnother(String orderId) {
		return this.orders.find(orderId)
			.filter(current -> current.gatewayOrderId() != null)
			.switchIfEmpty(Mono.error(() -> new TijoriException(HttpStatus.CONFLICT, "order_in_progress",
					"This order is being created by another request; retry shortly.", List.of(),
					Duration.ofSeconds(1))));
	}

	/**
	 * {@code creation} of the order's first gateway order; for an {@code auto} order whose gateway answered 503,
	 * the same at the next usable gateway. No money can be at stake on the gateway left behind: its gateway order,
	 * if one was made before the answer was lost, was never given to the buyer (only a stored attempt's checkout
	 * is), so nothing can be paid on it, and the order's receipt is looked up again wherever it goes next.
	 */
	private Mono<OrderDocument> failingOver(Mono<OrderDocument> creation, OrderDocument order, TijoriUser user,
			boolean auto) {
		if (!auto) {
			return creation;
		}
		return creation.onErrorResume(GatewayUnavailableException.class,
				ex -> failover(order.publicId(), user, ex, List.of(order.gateway())));
	}

	/**
	 * Moves an order without a gateway order from the last gateway {@code tried} to the next usable one and
	 * creates its gateway order there; {@code failure} when no gateway is left.
	 */
	private Mono<OrderDocument> failover(String orderId, TijoriUser user, GatewayUnavailableException failure,
			List<String> tried) {
		List<PaymentGateway> usable = usable(tried);
		if (usable.isEmpty()) {
			return Mono.error(failure);
		}
		String from = tried.get(tried.size() - 1);
		PaymentGateway next = usable.get(0);
		List<String> triedNow = new ArrayList<>(tried);
		triedNow.add(next.name());
		Instant now = Instant.now();
		return this.orders.moveToGateway(orderId, from, next.name(), now, now.plus(GATEWAY_LEASE))
			.flatMap(moved -> {
				this.meters.failover(from, next.name());
				return createAtGateway(moved, user).transformDeferred(BulkheadOperator.of(this.admission.get(next.name())))
					.onErrorResume(BulkheadFullException.class,
							full -> this.orders.releaseGatewayLease(orderId).then(Mono.error(busy())));
			})
			.onErrorResume(GatewayUnavailableException.class, ex -> failover(orderId, user, ex, triedNow))
			// another request with the same key got there first
			.switchIfEmpty(Mono.defer(() -> createdByAnother(orderId)));
	}

	private static GatewayUnavailableException busy() {
		return new GatewayUnavailableException("Too many payments are in progress right now; try again shortly.",
				Duration.ofSeconds(1));
	}

	private Mono<OrderDocument> createAtGateway(OrderDocument order, TijoriUser user) {
		PaymentGateway gateway = this.gateways.of(order.gateway());
		// a previous attempt may have reached the gateway before failing: find its order instead of making another
		Mono<GatewayOrder> previous = (order.gatewayAttempts() > 1) ? gateway.findOrderByReceipt(order.publicId())
				: Mono.empty();
		return previous
			.switchIfEmpty(Mono.defer(() -> gateway.createOrder(gatewayOrderRequest(order, order.publicId(), user))))
			.flatMap(gatewayOrder -> forExactly(order, gatewayOrder))
			.doOnNext(gatewayOrder -> this.meters.created(gateway.name()))
			.doOnError(ex -> this.meters.failed(gateway.name(), ex))
			.flatMap(gatewayOrder -> this.orders.setFirstAttempt(order.publicId(), attempt(order, gatewayOrder,
					Instant.now()))
				.switchIfEmpty(Mono.defer(() -> this.orders.find(order.publicId()))))
			.onErrorResume(ex -> this.orders.releaseGatewayLease(order.publicId()).then(Mono.error(ex)));
	}

	/** The order as a gateway order request; {@code user} null (the reconciler) names the buyer by id only. */
	private static GatewayOrderRequest gatewayOrderRequest(OrderDocument order, String receipt, TijoriUser user) {
		GatewayOrderRequest.Customer customer = (user != null)
				? new GatewayOrderRequest.Customer(user.id(), user.name(), user.email())
				: new GatewayOrderRequest.Customer(order.userId(), null, null);
		return new GatewayOrderRequest(order.total(), receipt, customer, description(order));
	}

	/** The gateway order, only if it is for exactly the order's amount: the server's price is the one paid. */
	private static Mono<GatewayOrder> forExactly(OrderDocument order, GatewayOrder gatewayOrder) {
		if (!gatewayOrder.amount().equals(order.total())) {
			return Mono.error(new GatewayRejectedException(HttpStatus.BAD_GATEWAY, "gateway_amount_mismatch",
					"The gateway order does not match this order's amount."));
		}
		return Mono.just(gatewayOrder);
	}

	/** "Tea × 2, Mug" for the gateway's checkout page; never more than 100 characters. */
	private static String description(OrderDocument order) {
		String text = String.join(", ", order.items()
			.stream()
			.map(line -> (line.quantity() > 1) ? line.name() + " x " + line.quantity() : line.name())
			.toList());
		return (text.length() > 100) ? text.substring(0, 97) + "..." : text;
	}


}
