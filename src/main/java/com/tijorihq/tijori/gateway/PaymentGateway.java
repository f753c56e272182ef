package com.tijorihq.tijori.gateway;

import java.util.List;
import java.util.Optional;

import reactor.core.publisher.Mono;

import com.tijorihq.tijori.common.GatewayUnavailableException;
import com.tijorihq.tijori.common.Money;

/**
 * What Tijori needs from a payment gateway, in Tijori's own terms. Implementations never block the caller's
 * thread; a refused or failing gateway surfaces as
 * {@link com.tijorihq.tijori.common.GatewayUnavailableException} (retry later, 503) or
 * {@link GatewayRejectedException} (the gateway said no to this request).
 */
public interface PaymentGateway {

	/** Stable name stored on orders, e.g. {@code razorpay}. */
	String name();

	/** The public key a browser checkout needs (Razorpay {@code key_id}); never a secret. */
	String publicKeyId();

	/**
	 * Whether this gateway is the built-in offline sandbox rather than the real one (so a storefront can open
	 * the sandbox's checkout page instead of the gateway's script).
	 */
	default boolean sandbox() {
		return false;
	}

	/**
	 * Creates the gateway order. Not idempotent at the gateway: callers look up {@link #findOrderByReceipt} first
	 * when a previous attempt may have reached it.
	 */
	Mono<GatewayOrder> createOrder(Money amount, String receipt);

	/** The gateway order whose receipt is ours, or empty. */
	Mono<GatewayOrder> findOrderByReceipt(String receipt);

	Mono<GatewayOrder> fetchOrder(String gatewayOrderId);

	Mono<List<GatewayPayment>> fetchOrderPayments(String gatewayOrderId);

	Mono<GatewayPayment> fetchPayment(String gatewayPaymentId);

	Mono<GatewayPayment> capture(String gatewayPaymentId, Money amount);

	/** Refunds part or all of a captured payment; {@code idempotencyKey} makes a retried refund safe. */
	Mono<GatewayRefund> refund(String gatewayPaymentId, Money amount, String idempotencyKey);

	/**
	 * The refusal a new call would get right now (every gateway thread busy and the queue full, or the circuit
	 * breaker open), or empty. Lets a caller shed load before doing any work of its own; a call made anyway is
	 * still guarded.
	 */
	default Optional<GatewayUnavailableException> refusal() {
		return Optional.empty();
	}

	/** How many calls this gateway can run or queue at once; callers size their own admission to it. */
	default int capacity() {
		return Integer.MAX_VALUE;
	}

	/** Checkout handler signature over {@code order_id|payment_id}; constant time. */
	boolean verifyCheckoutSignature(String gatewayOrderId, String gatewayPaymentId, String signature);

	/** Webhook signature over the raw body bytes; constant time. */
	boolean verifyWebhookSignature(byte[] rawBody, String signature);

}
