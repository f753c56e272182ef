package com.tijorihq.tijori.gateway;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;

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
	default GatewayCapabilities capabilities() {
		// transitional: each adapter states its own
		return new GatewayCapabilities(!takesRetriesOnOneOrder(), takesRetriesOnOneOrder(), 100, true,
				takesRetriesOnOneOrder());
	}

	/**
	 * The gateway's current truth about the payments a verified notice names: the one payment when the notice
	 * names it, else every payment of the notice's gateway order. This, never the notice, is what checkout applies.
	 */
	default Mono<List<GatewayPayment>> confirm(PaymentNotice notice) {
		// transitional: each adapter answers for itself
		return (notice.gatewayPaymentId() != null) ? fetchPayment(notice.gatewayPaymentId()).map(List::of)
				: fetchOrderPayments(notice.gatewayOrderId());
	}

	/**
	 * Verifies what the gateway's checkout sent back through the buyer's browser (Razorpay's three
	 * {@code razorpay_*} fields, Paytm's form, PayU's form) and names the payment it is about; empty when the
	 * signature or checksum is missing or wrong.
	 */
	default Optional<PaymentNotice> verifyReturn(Map<String, String> fields) {
		// transitional: each adapter answers for itself
		String razorpayOrder = fields.get("razorpay_order_id");
		if (razorpayOrder != null && "razorpay".equals(name())) {
			java.util.List<com.tijorihq.tijori.common.TijoriException.FieldError> missing = java.util.stream.Stream
				.of("razorpay_order_id", "razorpay_payment_id", "razorpay_signature")
				.filter(field -> fields.get(field) == null || fields.get(field).isBlank())
				.map(field -> new com.tijorihq.tijori.common.TijoriException.FieldError(field, "must not be blank"))
				.toList();
			if (!missing.isEmpty()) {
				throw com.tijorihq.tijori.common.TijoriException.invalid(missing);
			}
			return verifyCheckoutSignature(razorpayOrder, fields.get("razorpay_payment_id"),
					fields.get("razorpay_signature"))
				? Optional.of(new PaymentNotice(name(), razorpayOrder, fields.get("razorpay_payment_id"), null, null,
						null))
				: Optional.empty();
		}
		return verifyCallback(fields).map(order -> new PaymentNotice(name(), order, null, null, null, null));
	}

	/**
	 * Verifies a server-to-server message (webhook or notification) over its raw bytes and translates it; empty
	 * when its signature is missing or wrong. A payload that cannot be read is an {@link IllegalArgumentException}.
	 */
	default Optional<GatewayNotification> verifyNotification(byte[] rawBody,
			org.springframework.http.HttpHeaders headers) {
		// transitional: each adapter answers for itself
		return Optional.empty();
	}

	/**
	 * Creates the gateway order. Not idempotent at the gateway: callers look up {@link #findOrderByReceipt} first
	 * when a previous attempt may have reached it.
	 */
	Mono<GatewayOrder> createOrder(GatewayOrderRequest request);

	/**
	 * Whether a gateway order can take another payment after a failed one (Razorpay). Paytm and PayU take each
	 * order id once: paying again needs a new gateway order.
	 */
	default boolean takesRetriesOnOneOrder() {
		return true;
	}

	/** The gateway order whose receipt is ours, or empty. */
	Mono<GatewayOrder> findOrderByReceipt(String receipt);

	Mono<GatewayOrder> fetchOrder(String gatewayOrderId);

	Mono<List<GatewayPayment>> fetchOrderPayments(String gatewayOrderId);

	/**
	 * One payment by its gateway id (Razorpay's verify and webhooks). Gateways that look payments up only by
	 * their order (Paytm, PayU) refuse it: everything Tijori does with them goes through
	 * {@link #fetchOrderPayments}.
	 */
	default Mono<GatewayPayment> fetchPayment(String gatewayPaymentId) {
		return Mono.error(unsupported("looks payments up by their order"));
	}

	/** Captures an authorised payment. Gateways that capture every payment themselves (Paytm, PayU) refuse it. */
	default Mono<GatewayPayment> capture(String gatewayPaymentId, Money amount) {
		return Mono.error(unsupported("captures payments automatically"));
	}

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

	/**
	 * Razorpay Checkout's handler signature over {@code order_id|payment_id}; constant time. Gateways whose result
	 * reaches Tijori through {@link #verifyCallback} instead say false.
	 */
	default boolean verifyCheckoutSignature(String gatewayOrderId, String gatewayPaymentId, String signature) {
		return false;
	}

	/** Webhook signature over the raw body bytes; constant time. */
	default boolean verifyWebhookSignature(byte[] rawBody, String signature) {
		return false;
	}

	/**
	 * Checks the checksum/hash of the form the gateway's checkout posted back through the buyer's browser (Paytm
	 * {@code CHECKSUMHASH}, PayU's reverse hash) and says which gateway order it is about; empty when the
	 * checksum is missing or wrong. A valid callback proves only who sent it: the payment's outcome is then
	 * taken from {@link #fetchOrderPayments}, never from the form.
	 */
	default Optional<String> verifyCallback(Map<String, String> fields) {
		return Optional.empty();
	}

	/**
	 * The same for a server-to-server notification sent as JSON (Paytm's {@code {"head":{"signature"},"body"}}
	 * shape): the gateway order id when its signature over the raw body is valid, else empty.
	 */
	default Optional<String> verifyJsonNotification(String rawBody) {
		return Optional.empty();
	}

	private GatewayRejectedException unsupported(String why) {
		return new GatewayRejectedException(HttpStatus.UNPROCESSABLE_ENTITY, "gateway_unsupported",
				"This payment gateway " + why + ".", name() + " " + why);
	}

}
