package com.tijorihq.tijori.checkout;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import com.tijorihq.tijori.accounts.TijoriUser;
import com.tijorihq.tijori.checkout.OrderDocument.PaymentAttempt;
import com.tijorihq.tijori.checkout.OrderDocument.RefundRecord;
import com.tijorihq.tijori.common.Ids;
import com.tijorihq.tijori.common.TijoriException;
import com.tijorihq.tijori.gateway.GatewayRefund;
import com.tijorihq.tijori.gateway.GatewayRejectedException;
import com.tijorihq.tijori.gateway.PaymentGateways;

/**
 * Refunds. The amount is reserved on the order with one conditional write ({@code refundable >= amount}) before
 * the gateway is called, so concurrent refunds can never add up to more than was captured; a refusal releases
 * it. Tijori's refund id doubles as the gateway's refund idempotency key, so calling the gateway again for the
 * same refund (a client retry with the same {@code Idempotency-Key} after a timeout) never refunds twice. The
 * order moves to {@code partially_refunded}/{@code refunded} once the gateway says the money went back
 * ({@code processed}), through the state machine like every other status change.
 */
@Service
public class RefundService {

	/** Razorpay refuses refunds under ₹1.00. */
	static final long MINIMUM_REFUND = 100;

	private static final Logger log = LoggerFactory.getLogger(RefundService.class);

	private final OrderService orderService;

	private final OrderRepository orders;

	private final OrderTransitions transitions;

	private final PaymentGateways gateways;

	private final MeterRegistry meters;

	RefundService(OrderService orderService, OrderRepository orders, OrderTransitions transitions,
			PaymentGateways gateways, MeterRegistry meters) {
		this.orderService = orderService;
		this.orders = orders;
		this.transitions = transitions;
		this.gateways = gateways;
		this.meters = meters;
	}

	/** The refund, and whether this request started it (false: found by its Idempotency-Key). */
	record Outcome(String orderId, RefundRecord refund, boolean fresh) {
	}

	Mono<Outcome> refund(TijoriUser user, String orderId, Long requested, String idempotencyKey) {
		if (!user.isAdmin()) {
			return Mono.error(new TijoriException(HttpStatus.FORBIDDEN, "forbidden", "Only admins may refund."));
		}
		return this.orderService.owned(user, orderId)
			.flatMap(order -> (order.refundable() == null && !order.status().prePayment())
					? this.orders.initRefundable(order).then(this.orders.find(orderId)) : Mono.just(order))
			.flatMap(order -> {
				String refundId = (idempotencyKey != null) ? Ids.derived("rfd_", orderId + "/" + idempotencyKey)
						: Ids.next("rfd_");
				RefundRecord existing = refund(order, refundId);
				if (existing != null) {
					return again(order, existing, requested);
				}
				return start(order, refundId, requested, idempotencyKey);
			});
	}

	private Mono<Outcome> start(OrderDocument order, String refundId, Long requested, String idempotencyKey) {
		if (order.status().prePayment()) {
			return Mono.error(TijoriException.conflict("order_not_paid", "Only a paid order can be refunded."));
		}
		long remaining = (order.refundable() != null) ? order.refundable() : 0;
		if (requested == null && remaining <= 0) {
			return Mono.error(TijoriException.conflict("nothing_to_refund",
					"Nothing is left to refund on this order (refunds in progress count too)."));
		}
		long amount = (requested != null) ? requested : remaining;
		if (amount < MINIMUM_REFUND) {
			return Mono.error(TijoriException.invalid("amount",
					"must be at least " + MINIMUM_REFUND + " (the gateway's minimum refund)"));
		}
		if (amount > remaining) {
			return Mono.error(overRefund(remaining));
		}
		long left = remaining - amount;
		if (left > 0 && left < MINIMUM_REFUND) {
			return Mono.error(TijoriException.invalid("amount", "would leave " + left
					+ ", less than the gateway's minimum refund of " + MINIMUM_REFUND + "; refund all " + remaining));
		}
		Optional<PaymentAttempt> payment = capturedPayment(order);
		if (payment.isEmpty()) {
			return Mono.error(TijoriException.conflict("order_not_paid", "This order has no captured payment."));
		}
		Instant now = Instant.now();
		RefundRecord refund = new RefundRecord(refundId, null, payment.get().gatewayPaymentId(), amount,
				order.currency(), RefundStatus.PENDING, idempotencyKey, now, now);
		return this.orders.reserveRefund(order.publicId(), refund)
			.flatMap(reserved -> callGateway(order, refund).map(done -> new Outcome(order.publicId(), done, true)))
			.switchIfEmpty(Mono.defer(() -> this.orders.find(order.publicId()).flatMap(current -> {
				RefundRecord raced = refund(current, refundId);
				if (raced != null) {
					return again(current, raced, requested);
				}
				if (current.status().prePayment()) {
					return Mono.error(TijoriException.conflict("order_not_paid", "Only a paid order can be refunded."));
				}
				return Mono.error(overRefund(current.refundable() != null ? current.refundable() : 0));
			})));
	}

	/** The same Idempotency-Key again: the same refund, finished at the gateway if an earlier call was cut off. */
	private Mono<Outcome> again(OrderDocument order, RefundRecord existing, Long requested) {
		if (requested != null && requested != existing.amount()) {
			return Mono.error(new TijoriException(HttpStatus.UNPROCESSABLE_ENTITY, "idempotency_key_reused",
					"This Idempotency-Key was used for a refund of another amount."));
		}
		if (existing.status() == RefundStatus.PENDING && existing.gatewayRefundId() == null) {
			return callGateway(order, existing).map(done -> new Outcome(order.publicId(), done, false));
		}
		return Mono.just(new Outcome(order.publicId(), existing, false));
	}

	/**
	 * Calls the gateway again for a reserved refund whose answer never arrived (a timeout, or a crash mid-call):
	 * the same refund id is the gateway's idempotency key, so this finishes that refund and never makes another.
	 */
	Mono<RefundRecord> resume(OrderDocument order, RefundRecord refund) {
		return callGateway(order, refund);
	}

	private Mono<RefundRecord> callGateway(OrderDocument order, RefundRecord refund) {
		String orderId = order.publicId();
		return this.gateways.of(order.gateway())
			.refund(order.gatewayOrderIdOf(refund.gatewayPaymentId()), refund.gatewayPaymentId(), refund.money(),
					refund.publicId())
			.flatMap(answer -> settle(orderId, refund, answer))
			.onErrorResume(GatewayRejectedException.class, ex -> {
				if (ex.status() == HttpStatus.CONFLICT) {
					// the gateway is still working on this very refund (same idempotency key): keep the reservation
					return Mono.error(new TijoriException(HttpStatus.CONFLICT, "refund_in_progress",
							"This refund is still being processed; retry with the same Idempotency-Key.", List.of(),
							Duration.ofSeconds(2)));
				}
				log.warn("Gateway refused refund {} of order {}: {}", refund.publicId(), orderId, ex.reason());
				count("rejected");
				return this.orders.settleRefund(orderId, refund, RefundStatus.FAILED, null, Instant.now())
					.then(Mono.error(new TijoriException(HttpStatus.UNPROCESSABLE_ENTITY, "refund_rejected",
							"The payment gateway refused this refund; nothing was refunded.")));
			});
		// a timeout or 503 leaves the reservation pending: the outcome is unknown, and the same refund id makes a
		// retry (same Idempotency-Key) safe
	}

	private Mono<RefundRecord> settle(String orderId, RefundRecord refund, GatewayRefund answer) {
		Instant now = Instant.now();
		Mono<OrderDocument> written = switch (answer.status()) {
			case PROCESSED -> this.orders.settleRefund(orderId, refund, RefundStatus.PROCESSED, answer.id(), now);
			case FAILED -> this.orders.settleRefund(orderId, refund, RefundStatus.FAILED, answer.id(), now);
			case PENDING -> this.orders.refundAccepted(orderId, refund.publicId(), answer.id(), now);
		};
		count(answer.status().name().toLowerCase(java.util.Locale.ROOT));
		return written.then(syncStatus(orderId))
			.map(order -> Optional.ofNullable(refund(order, refund.publicId())).orElse(refund));
	}

	/**
	 * Applies a refund the gateway reported (webhook). Tijori's own refunds are settled (only from pending, so a
	 * repeat changes nothing); a processed refund Tijori never started (the gateway's dashboard) is recorded and
	 * counted under the same guard as a reservation, or flagged for an admin when it exceeds what is left.
	 *
	 * @param gatewayOrderId the payment's order when the event says so, or null
	 */
	public Mono<Void> applyGatewayRefund(GatewayRefund refund, String gatewayOrderId) {
		Mono<OrderDocument> order = (gatewayOrderId != null) ? this.orders.findByGatewayOrderId(gatewayOrderId)
				: this.orders.findByGatewayPaymentId(refund.paymentId());
		return order.flatMap(found -> {
			RefundRecord known = (found.refunds() == null) ? null
					: found.refunds()
						.values()
						.stream()
						.filter(r -> refund.id().equals(r.gatewayRefundId()))
						.findFirst()
						.orElse(null);
			if (known != null) {
				if (known.amount() != refund.amount().amount()) {
					log.warn("Refund {} of order {}: gateway amount {} differs from {}", refund.id(),
							found.publicId(), refund.amount(), known.money());
					return this.orders.addFlag(found.publicId(), "refund_amount_mismatch:" + refund.id());
				}
				return settle(found.publicId(), known, refund).then();
			}
			boolean ownInFlight = found.refunds() != null && found.refunds()
				.values()
				.stream()
				.anyMatch(r -> r.status() == RefundStatus.PENDING && r.gatewayRefundId() == null);
			if (ownInFlight) {
				// probably ours, its gateway answer not stored yet: try again later rather than count it twice
				return Mono.error(new RefundNotYetKnownException(refund.id()));
			}
			if (refund.status() != GatewayRefund.Status.PROCESSED) {
				return Mono.empty();
			}
			return external(found, refund);
		}).then();
	}

	private Mono<Void> external(OrderDocument order, GatewayRefund refund) {
		Instant now = Instant.now();
		RefundRecord record = new RefundRecord(Ids.derived("rfd_", refund.id()), refund.id(), refund.paymentId(),
				refund.amount().amount(), refund.amount().currency(), RefundStatus.PROCESSED, null, now, now);
		Mono<OrderDocument> prepared = (order.refundable() == null && !order.status().prePayment())
				? this.orders.initRefundable(order).then(this.orders.find(order.publicId())) : Mono.just(order);
		return prepared.flatMap(current -> this.orders.recordExternalRefund(current.publicId(), record))
			.flatMap(recorded -> syncStatus(order.publicId()))
			.switchIfEmpty(Mono.defer(() -> this.orders.find(order.publicId())
				.filter(current -> refund(current, record.publicId()) == null)
				.flatMap(current -> {
					log.warn("Gateway refund {} on order {} cannot be matched to what is left to refund",
							refund.id(), order.publicId());
					return this.orders.addFlag(order.publicId(), "refund_unexpected:" + refund.id())
						.then(Mono.<OrderDocument>empty());
				})))
			.then();
	}

	/** Moves the order to the refund status its refunded amount calls for (a no-op when it is there already). */
	private Mono<OrderDocument> syncStatus(String orderId) {
		return this.orders.find(orderId).flatMap(order -> {
			if (order.amountRefunded() <= 0 || order.status().prePayment()) {
				return Mono.just(order);
			}
			OrderStatus target = (order.amountRefunded() >= order.amount()) ? OrderStatus.REFUNDED
					: OrderStatus.PARTIALLY_REFUNDED;
			return this.transitions.moveTo(orderId, target).map(OrderTransitions.Result::order);
		});
	}

	private static Optional<PaymentAttempt> capturedPayment(OrderDocument order) {
		Map<String, PaymentAttempt> payments = (order.payments() != null) ? order.payments() : Map.of();
		return payments.values()
			.stream()
			.filter(p -> p.status() == PaymentStatus.CAPTURED || p.status() == PaymentStatus.REFUNDED)
			.filter(p -> p.amount() == order.amount() && order.currency().equals(p.currency()))
			.sorted(Comparator.comparing((PaymentAttempt p) -> p.status() == PaymentStatus.CAPTURED ? 0 : 1)
				.thenComparing(PaymentAttempt::createdAt))
			.findFirst();
	}

	private static RefundRecord refund(OrderDocument order, String refundId) {
		return (order.refunds() != null) ? order.refunds().get(refundId) : null;
	}

	private static TijoriException overRefund(long remaining) {
		return new TijoriException(HttpStatus.BAD_REQUEST, "over_refund",
				"At most " + remaining + " can still be refunded on this order.",
				List.of(new TijoriException.FieldError("amount", "must be at most " + remaining)), null);
	}

	private void count(String outcome) {
		this.meters.counter("tijori.refunds", "outcome", outcome).increment();
	}

	/** A gateway refund that may be one of ours whose gateway answer is not stored yet; retried later. */
	public static final class RefundNotYetKnownException extends RuntimeException {

		RefundNotYetKnownException(String gatewayRefundId) {
			super("Refund " + gatewayRefundId + " is not known yet", null, false, false);
		}

	}

}
