package com.tijorihq.tijori.gateway;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;

import com.tijorihq.tijori.common.GatewayUnavailableException;
import com.tijorihq.tijori.common.Money;

/**
 * What Tijori needs from a payment gateway, in Tijori's own terms. Implementations never block the caller's
 * thread; a refused or failing gateway surfaces as
 * {@link com.tijorihq.tijori.common.GatewayUnavailableException} (retry later, 503) or
 * {@link GatewayRejectedException} (the gateway said no to this request).
 */
public interface PaymentGateway {

	/** Stable name stored on orders and used in URLs: {@code razorpay}, {@code paytm} or {@code payu}. */
	String name();

	/**
	 * The public identifier a browser checkout needs (Razorpay {@code key_id}, Paytm MID, PayU merchant key);
	 * never a secret.
	 */
	String publicKeyId();

	/**
	 * What a frontend needs to start this gateway's checkout, not tied to one order (script or form URLs, the
	 * public key), for {@code GET /api/gateways}. Never a secret.
	 */
	default Map<String, String> checkoutInfo() {
		return Map.of();
	}

	/**
	 * Whether this gateway is the built-in offline sandbox rather than the real one (so a storefront can open
	 * the sandbox's checkout page instead of the gateway's script).
	 */
	default boolean sandbox() {
		return false;
	}

	/** Where this gateway differs from the others (auto-capture, minimum refund, refund lookup, ...). */
	GatewayCapabilities capabilities();

	/**
	 * The gateway's current truth about the payments a verified notice names: the one payment when the notice
	 * names it, else every payment of the notice's gateway order. This, never the notice, is what checkout applies.
	 */
	Mono<List<GatewayPayment>> confirm(PaymentNotice notice);

	/**
	 * Verifies what the gateway's checkout sent back through the buyer's browser (Razorpay's three
	 * {@code razorpay_*} fields, Paytm's form, PayU's form) and names the payment it is about; empty when the
	 * signature or checksum is missing or wrong, or the fields are not this gateway's. A return that is this
	 * gateway's but lacks required fields is a 400 naming them ({@code TijoriException.invalid}).
	 */
	Optional<PaymentNotice> verifyReturn(Map<String, String> fields);

	/**
	 * Verifies a server-to-server message (webhook or notification) over its raw bytes and translates it; empty
	 * when its signature is missing or wrong. A signed message Tijori cannot act on is an
	 * {@link GatewayNotification#ignored ignored} notification, so it is still acknowledged and kept.
	 */
	Optional<GatewayNotification> verifyNotification(byte[] rawBody, HttpHeaders headers);

	/**
	 * Creates the gateway order. Not idempotent at the gateway: callers look up {@link #findOrderByReceipt} first
	 * when a previous attempt may have reached it.
	 */
	Mono<GatewayOrder> createOrder(GatewayOrderRequest request);

	/** The gateway order whose receipt is ours, or empty. */
	Mono<GatewayOrder> findOrderByReceipt(String receipt);

	Mono<List<GatewayPayment>> fetchOrderPayments(String gatewayOrderId);

	/**
	 * Captures an authorised payment. Never called for a gateway whose {@link GatewayCapabilities#autoCapture()}
	 * is true; such a gateway answers a {@link GatewayRejectedException}.
	 */
	Mono<GatewayPayment> capture(String gatewayPaymentId, Money amount);

	/**
	 * Refunds part or all of a captured payment; {@code idempotencyKey} makes a retried refund safe (gateways that
	 * take a merchant refund id use it as that id).
	 */
	Mono<GatewayRefund> refund(String gatewayOrderId, String gatewayPaymentId, Money amount, String idempotencyKey);

	/**
	 * The current state of a refund the gateway accepted as pending, for gateways that report refunds only when
	 * asked (Paytm's refund status API, PayU's {@code check_action_status}); empty when it cannot say.
	 *
	 * @param refundKey the idempotency key the refund was made with (Tijori's refund id)
	 * @param gatewayRefundId the id the gateway answered the refund with
	 */
	default Mono<GatewayRefund> fetchRefund(String gatewayOrderId, String gatewayPaymentId, String refundKey,
			String gatewayRefundId) {
		return Mono.empty();
	}

	/**
	 * Every payment the gateway took from {@code from} (inclusive) to {@code to} (exclusive), page by page as the
	 * subscriber asks, for reconciliation; only meaningful where {@link GatewayCapabilities#paymentListing()} says
	 * so (empty elsewhere: the gateway has no such API, and an empty answer must not read as "no payments").
	 */
	default Flux<GatewayPayment> listPayments(Instant from, Instant to) {
		return Flux.empty();
	}

	/**
	 * The refusal a new call would get right now (every gateway thread busy and the queue full, or the circuit
	 * breaker open), or empty. Lets a caller shed load before doing any work of its own; a call made anyway is
	 * still guarded.
	 */
	default Optional<GatewayUnavailableException> refusal() {
		return Optional.empty();
	}

	/**
	 * A cheap read of the gateway's API that changes nothing (a lookup of an id no order has), guarded like every
	 * call: completes, or fails with {@link GatewayRejectedException}, when the gateway answered; fails with
	 * {@link com.tijorihq.tijori.common.GatewayUnavailableException} when it did not.
	 */
	Mono<Void> probe();

	/** What this gateway's circuit breaker says of its recent calls. */
	HealthStatus callHealth();

	/** How many calls this gateway can run or queue at once; callers size their own admission to it. */
	default int capacity() {
		return Integer.MAX_VALUE;
	}

}
