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

	private final OrderRepository orders;

	private final IdempotencyKeys keys;

	private final ProductCatalog catalog;

	private final PaymentGateways gateways;

	private final OrderEventLog events;

	/** Per gateway: no more checkouts in flight than that gateway can take. */
	private final Map<String, Bulkhead> admission = new ConcurrentHashMap<>();

	OrderService(OrderRepository orders, IdempotencyKeys keys, ProductCatalog catalog, PaymentGateways gateways,
			OrderEventLog events) {
		this.orders = orders;
		this.keys = keys;
		this.catalog = catalog;
		this.gateways = gateways;
		this.events = events;
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

	Mono<Created> create(TijoriUser user, OrderCreateRequest request, String idempotencyKey) {
		// shed load before writing anything: an overloaded gateway must not leave a trail of unpayable orders, and
		// no more checkouts are let in than the gateway can take (the rest get 503 at once, not after a queue)
		PaymentGateway gateway;
		try {
			gateway = this.gateways.choose(request.gateway());
		}
		catch (TijoriException ex) {
			return Mono.error(ex);
		}
		var refusal = gateway.refusal();
		if (refusal.isPresent()) {
			return Mono.error(refusal.get());
		}
		return createAdmitted(user, request, idempotencyKey, gateway)
			.transformDeferred(BulkheadOperator.of(this.admission.get(gateway.name())))
			.onErrorMap(BulkheadFullException.class, ex -> new GatewayUnavailableException(
					"Too many payments are in progress right now; try again shortly.", Duration.ofSeconds(1)));
	}

	private Mono<Created> createAdmitted(TijoriUser user, OrderCreateRequest request, String idempotencyKey,
			PaymentGateway gateway) {
		return price(request).flatMap(items -> {
			String newId = Ids.next("ord_");
			if (idempotencyKey == null) {
				return insertNew(user, items, newId, gateway).map(order -> new Created(order, true));
			}
			return this.keys.claim(user.id(), idempotencyKey, Hashes.sha256Hex(request.canonical()), newId)
				.flatMap(claim -> claim.fresh() ? insertOrFind(user, items, claim.orderId(), gateway)
						: this.orders.find(claim.orderId())
							.map(order -> new Created(order, false))
							.switchIfEmpty(Mono.defer(() -> insertOrFind(user, items, claim.orderId(), gateway))));
		}).flatMap(created -> {
			// the inserter copies the `created` event to order_events while the gateway call runs (the relay
			// repeats it after a crash); neither waits for the other
			Mono<Void> publish = created.fresh() ? this.events.publish(created.order()) : Mono.empty();
			return Mono.zip(publish.thenReturn(true), ensureGatewayOrder(created.order(), user))
				.map(both -> new Created(both.getT2(), created.fresh()));
		});
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

	private Mono<OrderDocument> insertNew(TijoriUser user, List<LineItem> items, String orderId,
			PaymentGateway gateway) {
		Money total = items.stream()
			.map(line -> line.unitPrice().times(line.quantity()))
			.reduce(Money::plus)
			.orElseThrow();
		Instant now = Instant.now();
		OrderDocument order = new OrderDocument(new ObjectId(), orderId, user.id(), items, total.amount(),
				total.currency(), OrderStatus.CREATED, 1, gateway.name(), null, null, 0, Map.of(),
				List.of(new OrderEvent(1, OrderStatus.CREATED, now)), true, 0, 0, List.of(), now, now, null, Map.of(), null,
				Map.of(), null, List.of());
		return this.orders.insert(order);
	}

	/**
	 * Stores the order a claimed key points to, unless a concurrent request with the same key (and so the same
	 * body) stored it first; the unique public id makes that race harmless. {@code fresh} says who stored it.
	 */
	private Mono<Created> insertOrFind(TijoriUser user, List<LineItem> items, String orderId,
			PaymentGateway gateway) {
		return insertNew(user, items, orderId, gateway).map(order -> new Created(order, true))
			.onErrorResume(DuplicateKeyException.class,
					ex -> this.orders.find(orderId).map(order -> new Created(order, false)));
	}

	/**
	 * A checkout the buyer can open now: the order as it is while its gateway order can still be paid; a new
	 * gateway order after a failed payment at a gateway that takes each order id once (the old one is kept, so a
	 * late success on it still counts); the gateway order itself when creating it was interrupted. 409 for an order
	 * that can no longer be paid.
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
				return Mono.just(order);
			}
			var refusal = gateway.refusal();
			if (refusal.isPresent()) {
				return Mono.error(refusal.get());
			}
			return gateway.createOrder(gatewayOrderRequest(order, Ids.next("att_"), user))
				.flatMap(gatewayOrder -> forExactly(order, gatewayOrder))
				.flatMap(gatewayOrder -> this.orders
					.renewGatewayOrder(order.publicId(), order.gatewayOrderId(), gatewayOrder.id(),
							gatewayOrder.checkout(), Instant.now())
					// a concurrent renewal or a late payment changed the order first: that state stands
					.switchIfEmpty(Mono.defer(() -> this.orders.find(order.publicId()))));
		});
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
			.switchIfEmpty(Mono.defer(() -> this.orders.find(order.publicId())
				.filter(current -> current.gatewayOrderId() != null)
				.switchIfEmpty(Mono.error(() -> new TijoriException(HttpStatus.CONFLICT, "order_in_progress",
						"This order is being created by another request; retry shortly.", List.of(),
						Duration.ofSeconds(1))))));
	}

	private Mono<OrderDocument> createAtGateway(OrderDocument order, TijoriUser user) {
		PaymentGateway gateway = this.gateways.of(order.gateway());
		// a previous attempt may have reached the gateway before failing: find its order instead of making another
		Mono<GatewayOrder> previous = (order.gatewayAttempts() > 1) ? gateway.findOrderByReceipt(order.publicId())
				: Mono.empty();
		return previous
			.switchIfEmpty(Mono.defer(() -> gateway.createOrder(gatewayOrderRequest(order, order.publicId(), user))))
			.flatMap(gatewayOrder -> forExactly(order, gatewayOrder))
			.flatMap(gatewayOrder -> this.orders
				.setGatewayOrder(order.publicId(), gatewayOrder.id(), gatewayOrder.checkout(), Instant.now())
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
