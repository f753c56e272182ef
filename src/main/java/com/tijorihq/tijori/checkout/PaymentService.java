package com.tijorihq.tijori.checkout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import com.tijorihq.tijori.accounts.TijoriUser;
import com.tijorihq.tijori.checkout.OrderDocument.Payment;
import com.tijorihq.tijori.common.GatewayUnavailableException;
import com.tijorihq.tijori.common.Ids;
import com.tijorihq.tijori.common.LogContext;
import com.tijorihq.tijori.common.TijoriException;
import com.tijorihq.tijori.gateway.GatewayPayment;
import com.tijorihq.tijori.gateway.GatewayRejectedException;
import com.tijorihq.tijori.gateway.PaymentGateway;
import com.tijorihq.tijori.gateway.PaymentGateways;
import com.tijorihq.tijori.gateway.PaymentNotice;

/**
 * Turns the gateway's truth about a payment into order state. The browser's return (verify, callbacks), webhooks
 * and the reconciler all end in {@link #apply}: the same checks (attempt, amount, currency) and the same
 * conditional writes, so whichever arrives first wins and the rest change nothing. An order is {@code paid} only
 * when the gateway itself says a payment is captured for the order's exact amount; a signature alone is never
 * enough. Once an order is paid, Tijori never captures another payment for it: an authorised duplicate is left to
 * the gateway's automatic refund of uncaptured payments (and flagged), a captured one is refunded.
 */
@Service
public class PaymentService {

	private static final Logger log = LoggerFactory.getLogger(PaymentService.class);

	private final OrderService orderService;

	private final OrderRepository orders;

	private final OrderTransitions transitions;

	private final PaymentGateways gateways;

	private final RefundService refunds;

	PaymentService(OrderService orderService, OrderRepository orders, OrderTransitions transitions,
			PaymentGateways gateways, RefundService refunds) {
		this.orderService = orderService;
		this.orders = orders;
		this.transitions = transitions;
		this.gateways = gateways;
		this.refunds = refunds;
	}

	/**
	 * What the gateway's checkout gave the buyer's browser (Razorpay's three {@code razorpay_*} fields, or another
	 * gateway's return fields), checked by the order's gateway and confirmed with it.
	 */
	Mono<OrderDocument> verify(TijoriUser user, String orderId, Map<String, String> fields) {
		return this.orderService.owned(user, orderId).flatMap(order -> {
			PaymentGateway gateway = this.gateways.of(order.gateway());
			PaymentNotice notice = gateway.verifyReturn(fields).orElse(null);
			if (notice == null) {
				return reject(order, "invalid_signature", "The payment signature is not valid.");
			}
			if (!order.hasGatewayOrder(notice.gatewayOrderId())) {
				return reject(order, "order_mismatch", "These payment details belong to another order.");
			}
			Payment known = (notice.gatewayPaymentId() != null) ? order.paymentMap().get(notice.gatewayPaymentId())
					: null;
			if (known != null && known.captured() && !order.status().prePayment()) {
				return Mono.just(order);
			}
			// the buyer hears about the best of the payments (captured first); the rest are applied quietly
			return gateway.confirm(notice).flatMap(found -> {
				List<GatewayPayment> sorted = capturedFirst(found.stream()
					.filter(p -> notice.gatewayPaymentId() == null || notice.gatewayPaymentId().equals(p.id()))
					.toList());
				if (sorted.isEmpty()) {
					return reject(order, "payment_not_found", "The payment gateway does not know this payment.");
				}
				Mono<OrderDocument> best = apply(order, sorted.get(0), true);
				if (sorted.size() == 1) {
					return best;
				}
				return best.thenMany(Flux.fromIterable(sorted.subList(1, sorted.size())))
					.concatMap(payment -> apply(order, payment, false))
					.then(this.orders.find(order.publicId()));
			});
		});
	}

	/**
	 * A verified notice from a gateway (browser return, server-to-server notification, webhook): asks the gateway
	 * about the payments it names and applies them. Returns the Tijori order id (for a redirect); a 404 when no
	 * order of that gateway has the notice's gateway order. When the gateway cannot answer right now nothing is
	 * changed on the notice's word: the reconciler asks again later.
	 */
	public Mono<String> confirm(PaymentNotice notice) {
		PaymentGateway gateway = this.gateways.of(notice.gateway());
		return this.orders.findByGatewayOrderId(notice.gatewayOrderId())
			.filter(order -> notice.gateway().equals(order.gateway()))
			.switchIfEmpty(Mono.error(() -> TijoriException.notFound("Order")))
			.flatMap(order -> settledBy(order, notice) ? Mono.just(order.publicId())
					: confirmWithGateway(gateway, order, notice));
	}

	/**
	 * Whether the notice can add nothing: the order is paid and the notice is about the payment (or the one
	 * transaction of the gateway order) that paid it. A replayed callback then costs no status call.
	 */
	private static boolean settledBy(OrderDocument order, PaymentNotice notice) {
		if (order.status().prePayment() || order.paidBy() == null) {
			return false;
		}
		if (notice.gatewayPaymentId() != null) {
			return notice.gatewayPaymentId().equals(order.paidBy());
		}
		return notice.gatewayOrderId().equals(order.gatewayOrderIdOf(order.paidBy()));
	}

	private Mono<String> confirmWithGateway(PaymentGateway gateway, OrderDocument order, PaymentNotice notice) {
		return gateway.confirm(notice)
			.flatMapMany(found -> Flux.fromIterable(capturedFirst(found)))
			.concatMap(payment -> applyGatewayPayment(gateway.name(), payment))
			.then(Mono.just(order.publicId()))
			.onErrorResume(GatewayUnavailableException.class,
					ex -> LogContext.log(() -> log.warn("Could not confirm {} order {} with the gateway yet: {}",
							gateway.name(), notice.gatewayOrderId(), ex.getMessage()))
						.thenReturn(order.publicId()));
	}

	/**
	 * Applies a payment the gateway reported (notification, reconciliation) to the order it belongs to. Unknown
	 * gateway orders are ignored: they are not Tijori's.
	 */
	public Mono<Void> applyGatewayPayment(String gatewayName, GatewayPayment payment) {
		if (payment.orderId() == null || !OrderRepository.isPlainId(payment.id())) {
			// a payment made outside an order (or a malformed id) belongs to no Tijori order; a null order id
			// must never reach the query, where it would match orders without a gateway order
			return Mono.empty();
		}
		return this.orders.findByGatewayOrderId(payment.orderId())
			.filter(order -> gatewayName.equals(order.gateway()))
			.flatMap(order -> apply(order, payment, false))
			.then();
	}

	/**
	 * The same, for a payment of an order the caller already knows (the reconciler asked the gateway about that
	 * order's gateway orders): the order is read by its own id, a unique key, not looked up by gateway order.
	 */
	Mono<Void> applyGatewayPayment(String gatewayName, GatewayPayment payment, String orderId) {
		if (payment.orderId() == null || !OrderRepository.isPlainId(payment.id())) {
			return Mono.empty();
		}
		return this.orders.find(orderId)
			.filter(order -> gatewayName.equals(order.gateway()) && order.hasGatewayOrder(payment.orderId()))
			.flatMap(order -> apply(order, payment, false))
			.then();
	}

	private Mono<OrderDocument> apply(OrderDocument order, GatewayPayment payment, boolean forBuyer) {
		if (!order.hasGatewayOrder(payment.orderId())) {
			return reject(order, "payment_order_mismatch", "This payment belongs to another order.");
		}
		PaymentStatus status = PaymentStatus.valueOf(payment.status().name());
		boolean exactAmount = payment.amount().equals(order.total());
		if (status == PaymentStatus.CAPTURED && exactAmount && order.status().prePayment() && order.paidBy() == null) {
			// the common case costs one write; anything that changed since the read takes the general path
			return this.transitions.recordCaptureAndPay(order, seen(order, payment, status))
				.map(OrderTransitions.Result::order)
				.switchIfEmpty(Mono.defer(() -> recordAndApply(order, payment, status, exactAmount, forBuyer)));
		}
		return recordAndApply(order, payment, status, exactAmount, forBuyer);
	}

	private Mono<OrderDocument> recordAndApply(OrderDocument order, GatewayPayment payment, PaymentStatus status,
			boolean exactAmount, boolean forBuyer) {
		return record(order, payment, status).flatMap(current -> {
			if (!exactAmount && (status == PaymentStatus.CAPTURED || status == PaymentStatus.AUTHORIZED)) {
				Mono<OrderDocument> flagged = LogContext
					.log(() -> log.warn("Payment {} for order {} has amount {} but the order is {}; not marking paid",
							payment.id(), order.publicId(), payment.amount(), order.total()))
					.then(this.orders.addFlag(order.publicId(), "amount_mismatch:" + payment.id()))
					.then(this.orders.find(order.publicId()));
				return forBuyer ? flagged.then(reject(order, "amount_mismatch",
						"The payment's amount does not match the order.")) : flagged;
			}
			return switch (status) {
				case CAPTURED -> paid(current, payment.id());
				case AUTHORIZED -> authorised(current, payment);
				case FAILED -> this.transitions.settle(order.publicId())
					.flatMap(result -> forBuyer ? Mono.error(TijoriException.badRequest("payment_failed",
							"The payment failed; you can pay again.")) : Mono.just(result.order()));
				case CREATED -> this.transitions.settle(order.publicId())
					.flatMap(result -> forBuyer ? Mono.error(new TijoriException(HttpStatus.CONFLICT,
							"payment_pending", "The payment is not complete yet.", List.of(), Duration.ofSeconds(2)))
							: Mono.just(result.order()));
				case REFUNDED -> Mono.just(current);
			};
		});
	}

	/**
	 * An authorised payment is captured only while the order still awaits its money (or expired without it: a
	 * late authorisation still pays the order). On an order another payment already paid it is a duplicate:
	 * never captured, flagged, and left to the gateway, which refunds uncaptured authorisations by itself.
	 */
	private Mono<OrderDocument> authorised(OrderDocument order, GatewayPayment payment) {
		PaymentGateway gateway = this.gateways.of(order.gateway());
		return this.transitions.settle(order.publicId()).flatMap(result -> {
			OrderDocument current = result.order();
			if (!current.status().prePayment()) {
				return LogContext
					.log(() -> log.warn("Payment {} was authorised for order {}, which is already paid; not "
							+ "capturing it", payment.id(), order.publicId()))
					.then(this.orders.markDuplicate(order.publicId(), payment.id(), Instant.now()))
					.defaultIfEmpty(current);
			}
			if (gateway.capabilities().autoCapture()) {
				return Mono.just(current);
			}
			return capture(current, gateway, payment);
		});
	}

	private Mono<OrderDocument> capture(OrderDocument order, PaymentGateway gateway, GatewayPayment payment) {
		PaymentNotice notice = new PaymentNotice(gateway.name(), payment.orderId(), payment.id(), null, null, null);
		return gateway.capture(payment.id(), order.total())
			// a concurrent verify or webhook may have captured it already: ask the gateway what is true now
			.onErrorResume(GatewayRejectedException.class, ex -> gateway.confirm(notice)
				.flatMapMany(Flux::fromIterable)
				.filter(current -> current.status() == GatewayPayment.Status.CAPTURED)
				.next()
				.switchIfEmpty(Mono.error(ex)))
			.flatMap(captured -> record(order, captured, PaymentStatus.CAPTURED).then(paid(order, captured.id())));
	}

	/**
	 * A captured payment: it pays the order, unless another payment paid it first. Then it is money taken twice,
	 * given back through the refund path with a refund id derived from the payment (so once, however often this
	 * runs).
	 */
	private Mono<OrderDocument> paid(OrderDocument order, String gatewayPaymentId) {
		return this.transitions.markPaid(order.publicId(), gatewayPaymentId).flatMap(result -> {
			OrderDocument current = result.order();
			if (current.status().prePayment() || current.paidBy() == null
					|| gatewayPaymentId.equals(current.paidBy())) {
				return Mono.just(current);
			}
			return LogContext
				.log(() -> log.warn("Order {} was already paid by {}; payment {} is a duplicate and is refunded",
						current.publicId(), current.paidBy(), gatewayPaymentId))
				.then(this.orders.markDuplicate(current.publicId(), gatewayPaymentId, Instant.now()))
				.defaultIfEmpty(current)
				.flatMap(marked -> this.refunds.refundDuplicate(marked, gatewayPaymentId));
		});
	}

	private Mono<OrderDocument> record(OrderDocument order, GatewayPayment payment, PaymentStatus status) {
		return this.orders.recordPayment(order.publicId(), seen(order, payment, status))
			.switchIfEmpty(Mono.defer(() -> this.orders.find(order.publicId())))
			.defaultIfEmpty(order);
	}

	/** The payment as Tijori records it now. */
	private static Payment seen(OrderDocument order, GatewayPayment payment, PaymentStatus status) {
		Instant now = Instant.now();
		return new Payment(Ids.derived("pay_", order.publicId() + "/" + payment.id()), payment.id(), status,
				payment.method(), payment.amount().amount(), payment.amount().currency(), now, now, payment.orderId(),
				null, 0L, false);
	}

	private Mono<OrderDocument> reject(OrderDocument order, String code, String detail) {
		return this.orders.countVerificationFailure(order.publicId())
			.then(Mono.error(TijoriException.badRequest(code, detail)));
	}

	/** Captured payments first: once the order is paid, the rest (failed attempts) change nothing. */
	static List<GatewayPayment> capturedFirst(List<GatewayPayment> payments) {
		List<GatewayPayment> sorted = new ArrayList<>(payments);
		sorted.sort(Comparator.comparing((GatewayPayment p) -> switch (p.status()) {
			case CAPTURED, REFUNDED -> 0;
			case AUTHORIZED -> 1;
			default -> 2;
		}));
		return sorted;
	}

}
