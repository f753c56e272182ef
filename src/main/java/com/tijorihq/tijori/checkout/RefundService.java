package com.tijorihq.tijori.checkout;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import com.tijorihq.tijori.accounts.TijoriUser;
import com.tijorihq.tijori.checkout.OrderDocument.Payment;
import com.tijorihq.tijori.checkout.OrderDocument.RefundRecord;
import com.tijorihq.tijori.common.Ids;
import com.tijorihq.tijori.common.LogContext;
import com.tijorihq.tijori.common.TijoriException;
import com.tijorihq.tijori.gateway.GatewayRefund;
import com.tijorihq.tijori.gateway.GatewayRejectedException;
import com.tijorihq.tijori.gateway.PaymentGateway;
import com.tijorihq.tijori.gateway.PaymentGateways;

/**
 * Refunds, each of one captured payment. The amount is reserved on that payment with one conditional write
 * ({@code refundable >= amount}) before the gateway is called, so concurrent refunds can never add up to more than
 * the payment's capture; a refusal releases it, an ambiguous answer keeps it until the gateway says what happened.
 * An order's refund goes to the payment that paid it; a duplicate payment is refunded on its own, once. Tijori's refund id doubles as the gateway's refund idempotency key, so calling the gateway again for the
 * same refund (a client retry with the same {@code Idempotency-Key} after a timeout) never refunds twice. The
 * order moves to {@code partially_refunded}/{@code refunded} once the gateway says the money went back
 * ({@code processed}), through the state machine like every other status change.
 */
@Service
public class RefundService {

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
		return this.orderService.owned(user, orderId).flatMap(order -> {
			String refundId = (idempotencyKey != null) ? Ids.derived("rfd_", orderId + "/" + idempotencyKey)
					: Ids.next("rfd_");
			RefundRecord existing = order.refundMap().get(refundId);
			if (existing != null) {
				return again(order, existing, requested);
			}
			return start(order, refundId, requested, idempotencyKey);
		});
	}

	private Mono<Outcome> start(OrderDocument order, String refundId, Long requested, String idempotencyKey) {
		Payment payment = order.status().prePayment() ? null : order.paymentMap().get(order.paidBy());
		if (payment == null) {
			return Mono.error(TijoriException.conflict("order_not_paid", "Only a paid order can be refunded."));
		}
		long remaining = (payment.refundable() != null) ? payment.refundable() : 0;
		if (requested == null && remaining <= 0) {
			return Mono.error(TijoriException.conflict("nothing_to_refund",
					"Nothing is left to refund on this order (refunds in progress count too)."));
		}
		long minimum = this.gateways.of(order.gateway()).capabilities().minimumRefund();
		long amount = (requested != null) ? requested : remaining;
		if (amount < minimum) {
			return Mono.error(TijoriException.invalid("amount",
					"must be at least " + minimum + " (the gateway's minimum refund)"));
		}
		if (amount > remaining) {
			return Mono.error(overRefund(remaining));
		}
		long left = remaining - amount;
		if (left > 0 && left < minimum) {
			return Mono.error(TijoriException.invalid("amount", "would leave " + left
					+ ", less than the gateway's minimum refund of " + minimum + "; refund all " + remaining));
		}
		Instant now = Instant.now();
		RefundRecord refund = new RefundRecord(refundId, null, payment.gatewayPaymentId(), amount, order.currency(),
				RefundStatus.PENDING, idempotencyKey, now, now, false);
		return this.orders.reserveRefund(order.publicId(), refund)
			.flatMap(reserved -> callGateway(order, refund).map(done -> new Outcome(order.publicId(), done, true)))
			.switchIfEmpty(Mono.defer(() -> this.orders.find(order.publicId()).flatMap(current -> {
				RefundRecord raced = current.refundMap().get(refundId);
				if (raced != null) {
					return again(current, raced, requested);
				}
				Payment latest = current.paymentMap().get(payment.gatewayPaymentId());
				return Mono.error(overRefund((latest != null && latest.refundable() != null) ? latest.refundable() : 0));
			})));
	}

	/**
	 * Gives back a duplicate payment (captured for an order another payment had already paid): everything left
	 * on it, under a refund id derived from the payment, so however often this runs it is one refund. A gateway
	 * that does not answer leaves the refund reserved for the reconciler to finish. Returns the order as it is.
	 */
	Mono<OrderDocument> refundDuplicate(OrderDocument order, String gatewayPaymentId) {
		Payment payment = order.paymentMap().get(gatewayPaymentId);
		String refundId = Ids.derived("rfd_", order.publicId() + "/duplicate/" + gatewayPaymentId);
		if (payment == null || !payment.captured() || order.refundMap().containsKey(refundId)
				|| payment.refundable() == null || payment.refundable() <= 0) {
			return Mono.just(order);
		}
		Instant now = Instant.now();
		RefundRecord refund = new RefundRecord(refundId, null, gatewayPaymentId, payment.refundable(),
				payment.currency(), RefundStatus.PENDING, null, now, now, true);
		count("duplicate");
		return this.orders.reserveRefund(order.publicId(), refund)
			.flatMap(reserved -> callGateway(reserved, refund).onErrorResume(ex -> LogContext
				.log(() -> log.warn("Refund {} of duplicate payment {} on order {} is not finished yet: {}", refundId,
						gatewayPaymentId, order.publicId(), ex.toString()))
				.then(Mono.empty())))
			.then(this.orders.find(order.publicId()));
	}

	/** The same Idempotency-Key again: the same refund, finished at the gateway if an earlier call was cut off. */
	private Mono<Outcome> again(OrderDocument order, RefundRecord existing, Long requested) {
		if (requested != null && requested != existing.amount()) {
			return Mono.error(new TijoriException(HttpStatus.UNPROCESSABLE_ENTITY, "idempotency_key_reused",
					"This Idempotency-Key was used for a refund of another amount."));
		}
		if (existing.status() == RefundStatus.PENDING && existing.gatewayRefundId() == null) {
			return resume(order, existing).map(done -> new Outcome(order.publicId(), done, false));
		}
		return Mono.just(new Outcome(order.publicId(), existing, false));
	}

	/**
	 * Finishes a reserved refund whose answer never arrived (a timeout, a lost answer, a crash mid-call). Where
	 * the gateway honours the refund id as an idempotency key the refund is simply sent again; elsewhere the
	 * gateway is first asked about that refund id, and it is sent again only when the gateway has none.
	 */
	Mono<RefundRecord> resume(OrderDocument order, RefundRecord refund) {
		PaymentGateway gateway = this.gateways.of(order.gateway());
		if (gateway.capabilities().idempotentRefunds() || !gateway.capabilities().refundLookup()) {
			return callGateway(order, refund);
		}
		return gateway
			.fetchRefund(order.gatewayOrderIdOf(refund.gatewayPaymentId()), refund.gatewayPaymentId(),
					refund.publicId(), null)
			.flatMap(found -> settle(order.publicId(), refund, found))
			.switchIfEmpty(Mono.defer(() -> callGateway(order, refund)));
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
				count("rejected");
				return LogContext
					.log(() -> log.warn("Gateway refused refund {} of order {}: {}", refund.publicId(), orderId,
							ex.reason()))
					.then(this.orders.settleRefund(orderId, refund, RefundStatus.FAILED, null, Instant.now()))
					.then(Mono.error(new TijoriException(HttpStatus.UNPROCESSABLE_ENTITY, "refund_rejected",
							"The payment gateway refused this refund; nothing was refunded.")));
			});
		// a timeout or 503 leaves the reservation pending: the outcome is unknown, and the same refund id makes a
		// retry (same Idempotency-Key) safe
	}

	/** Settles one of Tijori's refunds by what the gateway says of it when asked (the reconciler). */
	Mono<Void> settleFound(OrderDocument order, RefundRecord refund, GatewayRefund found) {
		return settle(order.publicId(), refund, found).then();
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
			.map(order -> Optional.ofNullable(order.refundMap().get(refund.publicId())).orElse(refund));
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
			RefundRecord known = found.refundMap()
				.values()
				.stream()
				.filter(r -> refund.id().equals(r.gatewayRefundId()))
				.findFirst()
				.orElse(null);
			if (known != null) {
				if (known.amount() != refund.amount().amount()) {
					return LogContext
						.log(() -> log.warn("Refund {} of order {}: gateway amount {} differs from {}", refund.id(),
								found.publicId(), refund.amount(), known.money()))
						.then(this.orders.addFlag(found.publicId(), "refund_amount_mismatch:" + refund.id()));
				}
				return settle(found.publicId(), known, refund).then();
			}
			boolean ownInFlight = found.refundMap()
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
		Payment payment = order.paymentMap().get(refund.paymentId());
		boolean duplicate = payment != null && payment.isDuplicate();
		RefundRecord record = new RefundRecord(Ids.derived("rfd_", refund.id()), refund.id(), refund.paymentId(),
				refund.amount().amount(), refund.amount().currency(), RefundStatus.PROCESSED, null, now, now,
				duplicate);
		return this.orders.recordExternalRefund(order.publicId(), record)
			.flatMap(recorded -> syncStatus(order.publicId()))
			.switchIfEmpty(Mono.defer(() -> this.orders.find(order.publicId())
				.filter(current -> !current.refundMap().containsKey(record.publicId()))
				.flatMap(current -> {
					return LogContext
						.log(() -> log.warn("Gateway refund {} on order {} cannot be matched to what is left to "
								+ "refund", refund.id(), order.publicId()))
						.then(this.orders.addFlag(order.publicId(), "refund_unexpected:" + refund.id()))
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
