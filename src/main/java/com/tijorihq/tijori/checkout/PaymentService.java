package com.tijorihq.tijori.checkout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import com.tijorihq.tijori.accounts.TijoriUser;
import com.tijorihq.tijori.checkout.OrderDocument.PaymentAttempt;
import com.tijorihq.tijori.checkout.OrderRequests.OrderVerifyRequest;
import com.tijorihq.tijori.common.GatewayUnavailableException;
import com.tijorihq.tijori.common.Ids;
import com.tijorihq.tijori.common.TijoriException;
import com.tijorihq.tijori.gateway.GatewayPayment;
import com.tijorihq.tijori.gateway.GatewayRejectedException;
import com.tijorihq.tijori.gateway.PaymentGateway;
import com.tijorihq.tijori.gateway.PaymentGateways;
import com.tijorihq.tijori.gateway.PaymentNotice;

/**
 * Turns the gateway's truth about a payment into order state. Verify (the browser), webhooks and the reconciler
 * all end in {@link #apply}: the same checks (order, amount, currency) and the same conditional writes, so
 * whichever arrives first wins and the rest change nothing. An order is {@code paid} only when the gateway itself
 * says the payment is captured for the order's exact amount; a signature alone is never enough.
 */
@Service
public class PaymentService {

	private static final Logger log = LoggerFactory.getLogger(PaymentService.class);

	private final OrderService orderService;

	private final OrderRepository orders;

	private final OrderTransitions transitions;

	private final PaymentGateways gateways;

	PaymentService(OrderService orderService, OrderRepository orders, OrderTransitions transitions,
			PaymentGateways gateways) {
		this.orderService = orderService;
		this.orders = orders;
		this.transitions = transitions;
		this.gateways = gateways;
	}

	Mono<OrderDocument> verify(TijoriUser user, String orderId, OrderVerifyRequest request) {
		return this.orderService.owned(user, orderId).flatMap(order -> {
			PaymentGateway gateway = this.gateways.of(order.gateway());
			// a gateway that captures by itself sends the buyer back through its callback, never through verify
			if (gateway.capabilities().autoCapture()) {
				return Mono.error(TijoriException.badRequest("wrong_gateway", "This order is paid through "
						+ gateway.name() + ", whose result reaches Tijori through its callback, not through verify."));
			}
			String paymentId = request.razorpay_payment_id();
			if (order.gatewayOrderId() == null || !order.gatewayOrderId().equals(request.razorpay_order_id())) {
				return reject(order, "order_mismatch", "These payment details belong to another order.");
			}
			// the signature is checked against the order id we stored, never the one the client sent
			Map<String, String> fields = new HashMap<>();
			fields.put("razorpay_order_id", order.gatewayOrderId());
			fields.put("razorpay_payment_id", paymentId);
			fields.put("razorpay_signature", request.razorpay_signature());
			fields.values().removeIf(Objects::isNull);
			PaymentNotice notice = gateway.verifyReturn(fields).orElse(null);
			if (notice == null || notice.gatewayPaymentId() == null) {
				return reject(order, "invalid_signature", "The payment signature is not valid.");
			}
			PaymentAttempt known = (order.payments() != null) ? order.payments().get(paymentId) : null;
			if (known != null && known.status() == PaymentStatus.CAPTURED && !order.status().prePayment()) {
				return Mono.just(order);
			}
			return gateway.confirm(notice)
				.flatMapMany(Flux::fromIterable)
				.next()
				.flatMap(payment -> apply(order, payment, true));
		});
	}

	/**
	 * A gateway's checkout came back through the browser with a valid checksum for {@code gatewayOrderId}: asks
	 * the gateway's status API for that order's payments and applies them (captured first). The callback's own
	 * fields are never trusted for the outcome. Returns the Tijori order id, for the redirect; a 404 when no
	 * order of this gateway has that id.
	 */
	public Mono<String> confirm(PaymentNotice notice) {
		PaymentGateway gateway = this.gateways.of(notice.gateway());
		return this.orders.findByGatewayOrderId(notice.gatewayOrderId())
			.filter(order -> notice.gateway().equals(order.gateway()))
			.switchIfEmpty(Mono.error(() -> TijoriException.notFound("Order")))
			.flatMap(order -> order.status().prePayment() ? confirmWithGateway(gateway, order, notice)
					: Mono.just(order.publicId()));
	}

	private Mono<String> confirmWithGateway(PaymentGateway gateway, OrderDocument order, PaymentNotice notice) {
		return gateway.confirm(notice)
			.flatMapMany(found -> Flux.fromIterable(capturedFirst(found)))
			.concatMap(payment -> applyGatewayPayment(gateway.name(), payment))
			.then(Mono.just(order.publicId()))
			.onErrorResume(GatewayUnavailableException.class, ex -> {
				log.warn("Could not confirm {} order {} with the gateway yet: {}", gateway.name(),
						notice.gatewayOrderId(), ex.getMessage());
				return Mono.just(order.publicId());
			});
	}

	/**
	 * Applies a payment the gateway reported (webhook, reconciliation) to the order it belongs to. Unknown gateway
	 * orders are ignored: they are not Tijori's.
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

	private Mono<OrderDocument> apply(OrderDocument order, GatewayPayment payment, boolean forBuyer) {
		if (!order.hasGatewayOrder(payment.orderId())) {
			return reject(order, "payment_order_mismatch", "This payment belongs to another order.");
		}
		PaymentStatus status = PaymentStatus.valueOf(payment.status().name());
		boolean exactAmount = payment.amount().equals(order.total());
		return record(order, payment, status).then(Mono.defer(() -> {
			if (!exactAmount && (status == PaymentStatus.CAPTURED || status == PaymentStatus.AUTHORIZED)) {
				log.warn("Payment {} for order {} has amount {} but the order is {}; not marking paid", payment.id(),
						order.publicId(), payment.amount(), order.total());
				Mono<OrderDocument> flagged = this.orders.addFlag(order.publicId(), "amount_mismatch:" + payment.id())
					.then(this.orders.find(order.publicId()));
				return forBuyer ? flagged.then(reject(order, "amount_mismatch",
						"The payment's amount does not match the order.")) : flagged;
			}
			return switch (status) {
				case CAPTURED -> markPaid(order, payment);
				case AUTHORIZED -> this.transitions.moveTo(order.publicId(), OrderStatus.ATTEMPTED)
					.then(capture(order, payment));
				case FAILED -> this.transitions.moveTo(order.publicId(), OrderStatus.FAILED)
					.flatMap(result -> forBuyer ? Mono.error(TijoriException.badRequest("payment_failed",
							"The payment failed; you can pay again.")) : Mono.just(result.order()));
				case CREATED -> this.transitions.moveTo(order.publicId(), OrderStatus.ATTEMPTED)
					.flatMap(result -> forBuyer ? Mono.error(new TijoriException(HttpStatus.CONFLICT,
							"payment_pending", "The payment is not complete yet.", List.of(), Duration.ofSeconds(2)))
							: Mono.just(result.order()));
				case REFUNDED -> this.orders.find(order.publicId());
			};
		}));
	}

	private Mono<OrderDocument> capture(OrderDocument order, GatewayPayment payment) {
		PaymentGateway gateway = this.gateways.of(order.gateway());
		return gateway.capture(payment.id(), order.total())
			// a concurrent verify or webhook may have captured it already: ask the gateway what is true now
			.onErrorResume(GatewayRejectedException.class, ex -> gateway
				.confirm(new PaymentNotice(gateway.name(), payment.orderId(), payment.id(), null, null, null))
				.flatMapIterable(found -> found)
				.filter(current -> payment.id().equals(current.id())
						&& current.status() == GatewayPayment.Status.CAPTURED)
				.next()
				.switchIfEmpty(Mono.error(ex)))
			.flatMap(captured -> record(order, captured, PaymentStatus.CAPTURED).then(markPaid(order, captured)));
	}

	private Mono<OrderDocument> markPaid(OrderDocument order, GatewayPayment payment) {
		return this.transitions.moveTo(order.publicId(), OrderStatus.PAID).flatMap(result -> {
			long captured = result.order().payments().values().stream()
				.filter(p -> p.status() == PaymentStatus.CAPTURED || p.status() == PaymentStatus.REFUNDED)
				.count();
			if (captured > 1) {
				// the buyer paid twice (two tabs): keep the money visible to an admin for a refund
				log.warn("Order {} has {} captured payments; flagged for refund", order.publicId(), captured);
				return this.orders.addFlag(order.publicId(), "duplicate_payment:" + payment.id())
					.then(this.orders.find(order.publicId()));
			}
			return Mono.just(result.order());
		});
	}

	private Mono<OrderDocument> record(OrderDocument order, GatewayPayment payment, PaymentStatus status) {
		Instant now = Instant.now();
		PaymentAttempt attempt = new PaymentAttempt(Ids.derived("pay_", order.publicId() + "/" + payment.id()),
				payment.id(), status, payment.method(), payment.amount().amount(), payment.amount().currency(), now,
				now, payment.orderId());
		return this.orders.recordPayment(order.publicId(), attempt).defaultIfEmpty(order);
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
