package com.tijorihq.tijori.checkout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoOperations;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import com.tijorihq.tijori.common.MongoLease;
import com.tijorihq.tijori.gateway.GatewayPayment;
import com.tijorihq.tijori.gateway.GatewayRefund;
import com.tijorihq.tijori.gateway.PaymentGateway;
import com.tijorihq.tijori.gateway.PaymentGateways;

/**
 * Converges unpaid orders on the gateway's truth when the browser never called verify and webhooks were lost:
 * asks the gateway for each order's payments and applies every one through
 * {@link PaymentService#applyGatewayPayment} (captured → paid, authorised → capture, failed → failed, with the
 * same amount checks as verify), attaches gateway orders whose creation was interrupted, and expires orders that
 * saw no payment for {@code expireAfter}. Recently expired orders are still checked, so a late authorisation is
 * caught. One replica sweeps at a time (the {@code reconciler} lease, renewed while sweeping); each order is also
 * claimed with a conditional write, so even two sweepers could never reconcile one order twice at once.
 */
@Component
public class Reconciler {

	private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

	static final String LEASE = "reconciler";

	private final OrderRepository orders;

	private final PaymentService payments;

	private final RefundService refunds;

	private final OrderTransitions transitions;

	private final PaymentGateways gateways;

	private final ReconcileProperties properties;

	private final MongoLease lease;

	private final MeterRegistry meters;

	@Autowired
	Reconciler(OrderRepository orders, PaymentService payments, RefundService refunds,
			OrderTransitions transitions, PaymentGateways gateways, ReconcileProperties properties,
			ReactiveMongoOperations mongo, MeterRegistry meters) {
		this(orders, payments, refunds, transitions, gateways, properties,
				new MongoLease(mongo, LEASE, "reconciler-" + UUID.randomUUID(), properties.lease()), meters);
	}

	Reconciler(OrderRepository orders, PaymentService payments, RefundService refunds,
			OrderTransitions transitions, PaymentGateways gateways, ReconcileProperties properties, MongoLease lease,
			MeterRegistry meters) {
		this.orders = orders;
		this.payments = payments;
		this.refunds = refunds;
		this.transitions = transitions;
		this.gateways = gateways;
		this.properties = properties;
		this.lease = lease;
		this.meters = meters;
	}

	/**
	 * What one sweep did.
	 *
	 * @param leased whether this replica held the lease (false: another one is sweeping; nothing was done)
	 * @param reconciled the orders this sweep reconciled
	 */
	public record Sweep(boolean leased, List<String> reconciled) {
	}

	@Scheduled(fixedDelayString = "${tijori.reconcile.interval:1m}",
			initialDelayString = "${tijori.reconcile.initial-delay:30s}")
	Mono<Void> scheduled() {
		if (!this.properties.enabled()) {
			return Mono.empty();
		}
		// deferred: Spring subscribes the one Mono this method returns on every tick, so "now" must be read at
		// subscription, not when the Mono is built
		return Mono.defer(this::sweepNow).onErrorResume(ex -> {
			log.warn("Reconciliation sweep failed, will retry: {}", ex.toString());
			return Mono.empty();
		}).then();
	}

	/** Runs one sweep now (if no other replica is sweeping). */
	public Mono<Sweep> sweepNow() {
		return Mono.defer(() -> sweep(Instant.now()));
	}

	/** One sweep as of {@code now} (tests pass a later time to age orders without waiting). */
	Mono<Sweep> sweep(Instant now) {
		return Mono.usingWhen(this.lease.acquire(), held -> held ? sweepLeased(now) : Mono.just(new Sweep(false,
				List.of())), held -> held ? this.lease.release() : Mono.empty());
	}

	private Mono<Sweep> sweepLeased(Instant now) {
		List<String> reconciled = Collections.synchronizedList(new ArrayList<>());
		return this.orders.findForReconcile(now, this.properties.batch())
			.concatMap(order -> this.lease.keep().flatMap(kept -> kept ? Mono.just(order)
					: Mono.error(new IllegalStateException("Lost the reconciler lease"))))
			.flatMap(order -> {
				boolean due = needsReconciling(order, now);
				// an order past its reason (paid meanwhile, out of the late window) leaves the due index for good
				return this.orders.claimForReconcile(order, due ? now.plus(rest(order, now)) : null)
					.filter(claimed -> due)
					.flatMap(claimed -> reconcile(claimed, now).doOnSuccess(done -> reconciled.add(claimed.publicId())))
					.onErrorResume(ex -> {
						log.warn("Reconciling order {} failed, will retry: {}", order.publicId(), ex.toString());
						return Mono.empty();
					});
			}, this.properties.concurrency())
			.thenMany(this.orders.findRefundsToCheck(now, this.properties.batch()))
			.concatMap(order -> this.lease.keep().flatMap(kept -> kept ? Mono.just(order)
					: Mono.error(new IllegalStateException("Lost the reconciler lease"))))
			.concatMap(order -> checkRefunds(order, now).onErrorResume(ex -> {
				log.warn("Checking refunds of order {} failed, will retry: {}", order.publicId(), ex.toString());
				return Mono.empty();
			}))
			.then(Mono.fromSupplier(() -> {
				this.meters.counter("tijori.reconcile.orders").increment(reconciled.size());
				if (!reconciled.isEmpty()) {
					log.info("Reconciled {} orders", reconciled.size());
				}
				return new Sweep(true, List.copyOf(reconciled));
			}));
	}

	/** Unpaid, or expired within the late window (a late authorisation may still come). */
	private boolean needsReconciling(OrderDocument order, Instant now) {
		if (order.status().awaitingPayment()) {
			return true;
		}
		return order.status() == OrderStatus.EXPIRED
				&& !order.createdAt().isBefore(now.minus(this.properties.lateWindow()));
	}

	private Duration rest(OrderDocument order, Instant now) {
		return rest(order, now, false);
	}

	/**
	 * How long to leave an order alone: {@code rest} while it is young and unpaid; then (and for a paid order
	 * watched for late payments, from the start) a tenth of its age, at most an hour.
	 */
	private Duration rest(OrderDocument order, Instant now, boolean decaying) {
		Duration age = Duration.between(order.createdAt(), now);
		if (!decaying && age.compareTo(this.properties.expireAfter()) < 0) {
			return this.properties.rest();
		}
		Duration longer = age.dividedBy(10);
		if (longer.compareTo(Duration.ofHours(1)) > 0) {
			longer = Duration.ofHours(1);
		}
		return longer.compareTo(this.properties.rest()) > 0 ? longer : this.properties.rest();
	}

	private Mono<Void> reconcile(OrderDocument order, Instant now) {
		PaymentGateway gateway = this.gateways.of(order.gateway());
		// every gateway order the order had: a payment on an earlier one still counts
		return withGatewayOrder(order, gateway).flatMap(current -> Flux.fromIterable(current.gatewayOrderIds())
			.concatMap(gateway::fetchOrderPayments)
			.reduce(new ArrayList<GatewayPayment>(), (all, some) -> {
				all.addAll(some);
				return all;
			})
			.flatMapMany(found -> Flux.fromIterable(PaymentService.capturedFirst(found)))
			.concatMap(payment -> this.payments.applyGatewayPayment(gateway.name(), payment, order.publicId()).onErrorResume(ex -> {
				log.info("Applying payment {} to order {} failed, will retry: {}", payment.id(), order.publicId(),
						ex.toString());
				return Mono.empty();
			}))
			.then(this.orders.find(order.publicId())))
			.switchIfEmpty(Mono.defer(() -> this.orders.find(order.publicId())))
			.flatMap(current -> expireIfDue(current, now));
	}

	/** The order with its gateway order; looks it up by receipt when creating it was interrupted. Empty if none. */
	private Mono<OrderDocument> withGatewayOrder(OrderDocument order, PaymentGateway gateway) {
		if (order.gatewayOrderId() != null) {
			return Mono.just(order);
		}
		return gateway.findOrderByReceipt(order.publicId()).flatMap(found -> {
			if (!found.amount().equals(order.total())) {
				log.warn("Gateway order {} for {} has amount {}, not {}", found.id(), order.publicId(), found.amount(),
						order.total());
				return this.orders.addFlag(order.publicId(), "gateway_amount_mismatch:" + found.id())
					.then(Mono.empty());
			}
			return this.orders.setFirstAttempt(order.publicId(), OrderService.attempt(order, found, Instant.now()))
				.switchIfEmpty(Mono.defer(() -> this.orders.find(order.publicId())));
		});
	}

	/**
	 * Settles the money of an order after payment. A refund the gateway accepted as pending: asks the gateway
	 * about it and settles it once reported processed or failed (only from pending, so a repeat changes nothing).
	 * A refund whose gateway answer never arrived: re-sent with the same refund id where the gateway honours it as
	 * an idempotency key, otherwise first looked up by that id and re-sent only when the gateway has none. A
	 * duplicate capture not yet given back (its refund was interrupted): refunded. Looks again after {@code rest}
	 * while anything is still pending.
	 */
	private Mono<Void> checkRefunds(OrderDocument order, Instant now) {
		PaymentGateway gateway = this.gateways.of(order.gateway());
		List<OrderDocument.RefundRecord> pending = order.refundMap()
			.values()
			.stream()
			.filter(r -> r.status() == RefundStatus.PENDING)
			.toList();
		List<String> duplicates = order.status().prePayment() || order.paidBy() == null ? List.of()
				: order.paymentMap()
					.values()
					.stream()
					.filter(p -> p.captured() && !p.gatewayPaymentId().equals(order.paidBy()))
					.map(OrderDocument.Payment::gatewayPaymentId)
					.toList();
		return Flux.fromIterable(pending)
			.concatMap(refund -> finishRefund(gateway, order, refund, now).onErrorResume(ex -> {
				log.info("Refund {} of order {} not finished yet, will look again: {}", refund.publicId(),
						order.publicId(), ex.toString());
				return Mono.empty();
			}))
			.thenMany(Flux.fromIterable(duplicates))
			.concatMap(paymentId -> this.orders.markDuplicate(order.publicId(), paymentId, now)
				.flatMap(marked -> this.refunds.refundDuplicate(marked, paymentId)))
			.then(watchLatePayments(gateway, order, now))
			.flatMap(atRisk -> this.orders.find(order.publicId()).flatMap(current -> {
				boolean stillPending = current.refundMap()
					.values()
					.stream()
					.anyMatch(r -> r.status() == RefundStatus.PENDING);
				Instant next = stillPending ? now.plus(this.properties.rest())
						: atRisk ? now.plus(rest(current, now, true)) : null;
				return this.orders.scheduleRefundCheck(order.publicId(), next);
			}));
	}

	/**
	 * A paid order within the late window: asks the gateway for every payment of its attempts and applies them,
	 * so a payment authorised or captured late on an order another payment already paid is seen even when its
	 * notification was lost (captured: refunded as a duplicate; authorised: flagged, never captured). Emits
	 * whether any other payment could still take money (failed, created or authorised), which keeps the order
	 * watched, less and less often, until the late window closes.
	 */
	private Mono<Boolean> watchLatePayments(PaymentGateway gateway, OrderDocument order, Instant now) {
		boolean paid = !order.status().prePayment() && order.paidBy() != null;
		if (!paid || !order.createdAt().plus(this.properties.lateWindow()).isAfter(now)) {
			return Mono.just(false);
		}
		return Flux.fromIterable(order.gatewayOrderIds())
			.concatMap(gateway::fetchOrderPayments)
			.flatMapIterable(found -> found)
			.filter(payment -> !payment.id().equals(order.paidBy()))
			.concatMap(payment -> this.payments.applyGatewayPayment(gateway.name(), payment, order.publicId())
				.thenReturn(payment.status() == GatewayPayment.Status.FAILED
						|| payment.status() == GatewayPayment.Status.CREATED
						|| payment.status() == GatewayPayment.Status.AUTHORIZED))
			.any(atRisk -> atRisk)
			.onErrorResume(ex -> {
				log.info("Could not look at the late payments of order {}, will look again: {}", order.publicId(),
						ex.toString());
				return Mono.just(true);
			});
	}

	private Mono<Void> finishRefund(PaymentGateway gateway, OrderDocument order, OrderDocument.RefundRecord refund,
			Instant now) {
		String gatewayOrderId = order.gatewayOrderIdOf(refund.gatewayPaymentId());
		if (refund.gatewayRefundId() == null) {
			boolean abandoned = !refund.createdAt().plus(this.properties.unansweredAfter()).isAfter(now);
			if (!abandoned) {
				return Mono.empty();
			}
			return this.refunds.resume(order, refund).then();
		}
		return gateway
			.fetchRefund(gatewayOrderId, refund.gatewayPaymentId(), refund.publicId(), refund.gatewayRefundId())
			.filter(found -> found.status() != GatewayRefund.Status.PENDING)
			.flatMap(found -> this.refunds.settleFound(order, refund, found))
			.then();
	}

	/**
	 * Expires an order that saw no money for {@code expireAfter}: decided on the order as read, and written only
	 * if it is still exactly that order (its version and revision), so a payment recorded in between keeps it.
	 */
	Mono<Void> expireIfDue(OrderDocument order, Instant now) {
		boolean unpaid = order.status().awaitingPayment();
		boolean old = order.createdAt().plus(this.properties.expireAfter()).isBefore(now);
		// an authorised payment still waiting for its capture keeps the order alive
		boolean moneyInFlight = order.paymentMap()
			.values()
			.stream()
			.anyMatch(p -> p.status() == PaymentStatus.AUTHORIZED || p.captured());
		if (!unpaid || !old || moneyInFlight) {
			return Mono.empty();
		}
		return this.transitions.moveIfUnchanged(order, OrderStatus.EXPIRED).then();
	}

}
