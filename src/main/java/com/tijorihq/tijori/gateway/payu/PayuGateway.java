package com.tijorihq.tijori.gateway.payu;

import java.net.URI;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;

import com.tijorihq.tijori.common.GatewayUnavailableException;
import com.tijorihq.tijori.common.LogContext;
import com.tijorihq.tijori.common.Money;
import com.tijorihq.tijori.gateway.CallbackUrls;
import com.tijorihq.tijori.gateway.DecimalAmounts;
import com.tijorihq.tijori.gateway.GatewayCapabilities;
import com.tijorihq.tijori.gateway.GatewayNotification;
import com.tijorihq.tijori.gateway.GatewayOrder;
import com.tijorihq.tijori.gateway.GatewayOrderRequest;
import com.tijorihq.tijori.gateway.GatewayPayment;
import com.tijorihq.tijori.gateway.GatewayRefund;
import com.tijorihq.tijori.gateway.GatewayRejectedException;
import com.tijorihq.tijori.gateway.NotificationBodies;
import com.tijorihq.tijori.gateway.PaymentGateway;
import com.tijorihq.tijori.gateway.PaymentNotice;
import com.tijorihq.tijori.gateway.GatewayCallFailure.Kind;
import com.tijorihq.tijori.gateway.GatewayCalls;
import com.tijorihq.tijori.gateway.HealthStatus;
import com.tijorihq.tijori.gateway.GatewayCalls.Effect;

/**
 * {@link PaymentGateway} for PayU India. PayU has no server-side order: "creating" one only signs the hosted
 * {@code _payment} form the browser posts (the Tijori order id is the {@code txnid}). PayU posts the result back
 * through the browser to {@code surl}/{@code furl}; its reverse hash says who sent it, and the outcome is always
 * taken from {@code verify_payment}. Refunds are queued by PayU ({@code cancel_refund_transaction}) and settled
 * later through {@code check_action_status}.
 * <p>
 * The {@code postservice} calls go through Spring's {@link WebClient} on Reactor Netty, which never blocks: unlike
 * the Razorpay adapter (a blocking SDK on a bounded scheduler) no scheduler is needed. Each call has connect and
 * response timeouts, a Reactor timeout and a circuit breaker; only reads are retried.
 */
final class PayuGateway implements PaymentGateway {

	private static final Logger log = LoggerFactory.getLogger(PayuGateway.class);

	private static final String PROBE_ID = "tijori_health_probe";

	static final String NAME = "payu";

	private static final GatewayCapabilities CAPABILITIES = new GatewayCapabilities(true, false, 100, true, false, false);

	/**
	 * PayU's form requires a phone number and Tijori accounts have none: a neutral placeholder is sent (it is not
	 * part of the hash) and PayU's page asks the buyer for a real one where a payment method needs it.
	 */
	static final String PHONE = "9999999999";

	/** Sent when the account's email is missing or longer than PayU's 50 characters. */
	static final String FALLBACK_EMAIL = "buyer@tijori.invalid";

	private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

	private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9_]{1,64}");

	private static final Pattern UNSAFE = Pattern.compile("[|\\p{Cntrl}]");

	/** Prefix of payment ids derived from a {@code mihpayid} that is not a plain id. */
	private static final String DERIVED = "payu_";

	private final PayuMode mode;

	private final WebClient web;

	private final GatewayCalls calls;

	private final CallbackUrls callbacks;

	private final ObjectMapper json;

	PayuGateway(PayuMode mode, WebClient web, CircuitBreaker breaker, PayuProperties properties, CallbackUrls callbacks,
			ObjectMapper json, MeterRegistry meters) {
		this.mode = mode;
		this.web = web;
		this.calls = new GatewayCalls(NAME, breaker, properties.callTimeout(), properties.retryAfter(),
				properties.retryAfter(), GatewayCalls.retry(2, Duration.ofMillis(100), Kind.TRANSIENT), meters);
		this.callbacks = callbacks;
		this.json = json;
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public String publicKeyId() {
		return this.mode.key();
	}

	@Override
	public boolean sandbox() {
		return this.mode.sandbox();
	}

	/**
	 * PayU captures every payment itself, and one txnid is one transaction: paying again after a failure takes
	 * a new gateway order. A repeated refund token may be refused rather than replayed.
	 */
	@Override
	public GatewayCapabilities capabilities() {
		return CAPABILITIES;
	}

	@Override
	public Map<String, String> checkoutInfo() {
		return Map.of("key", this.mode.key(), "action", this.mode.paymentUrl());
	}

	/**
	 * Signs the hosted form: every hashed field is cleaned of {@code |} and control characters (they would shift
	 * PayU's hash fields) and cut to PayU's lengths. No call is made.
	 */
	@Override
	public Mono<GatewayOrder> createOrder(GatewayOrderRequest request) {
		return Mono.fromCallable(() -> {
			Money amount = request.amount();
			if (!Money.INR.equals(amount.currency())) {
				throw GatewayRejectedException.currencyNotSupported("PayU", amount.currency());
			}
			String txnid = request.receipt();
			if (txnid == null || txnid.length() > 25 || !PLAIN_ID.matcher(txnid).matches()) {
				throw new IllegalArgumentException("A PayU txnid is at most 25 letters or digits: " + txnid);
			}
			GatewayOrderRequest.Customer customer = request.customer();
			Map<String, String> fields = new LinkedHashMap<>();
			fields.put("key", this.mode.key());
			fields.put("txnid", txnid);
			fields.put("amount", DecimalAmounts.format(amount));
			fields.put("productinfo", clean(request.description(), 100, "Tijori order"));
			fields.put("firstname", clean(customer == null ? null : customer.name(), 60, "Buyer"));
			fields.put("email", email(customer == null ? null : customer.email()));
			fields.put("phone", PHONE);
			fields.put("surl", this.callbacks.callback(NAME));
			fields.put("furl", this.callbacks.callback(NAME));
			fields.put("udf1", txnid);
			fields.put("udf2", clean(customer == null ? null : customer.id(), 255, ""));
			fields.put("udf3", "");
			fields.put("udf4", "");
			fields.put("udf5", "");
			fields.put("hash", PayuHash.request(fields, this.mode.salt()));
			Map<String, String> checkout = new LinkedHashMap<>();
			checkout.put("action", this.mode.paymentUrl());
			checkout.putAll(fields);
			return new GatewayOrder(txnid, amount, 0, txnid, "created", checkout);
		});
	}

	/** PayU keeps no order before the buyer posts the form, so there is nothing to find. */
	@Override
	public Mono<GatewayOrder> findOrderByReceipt(String receipt) {
		return Mono.empty();
	}

	Mono<GatewayOrder> fetchOrder(String gatewayOrderId) {
		return transaction(gatewayOrderId).map(details -> {
			GatewayPayment payment = payment(gatewayOrderId, details);
			boolean paid = payment.status() == GatewayPayment.Status.CAPTURED;
			return new GatewayOrder(gatewayOrderId, payment.amount(), paid ? payment.amount().amount() : 0,
					gatewayOrderId, paid ? "paid" : "attempted");
		})
			.switchIfEmpty(Mono.error(() -> new GatewayRejectedException(HttpStatus.NOT_FOUND, "gateway_order_not_found",
					"PayU knows no such transaction.")));
	}

	@Override
	public Mono<List<GatewayPayment>> fetchOrderPayments(String gatewayOrderId) {
		return transaction(gatewayOrderId).map(details -> List.of(payment(gatewayOrderId, details)))
			.defaultIfEmpty(List.of());
	}

	/** PayU names only the transaction: its state, from verify_payment. */
	@Override
	public Mono<List<GatewayPayment>> confirm(PaymentNotice notice) {
		return fetchOrderPayments(notice.gatewayOrderId());
	}

	/** PayU captures every payment itself; checkout never asks (see {@link #capabilities()}). */
	@Override
	public Mono<GatewayPayment> capture(String gatewayPaymentId, Money amount) {
		return GatewayRejectedException.capturesAutomatically();
	}

	/**
	 * {@code cancel_refund_transaction} with the Tijori refund id as PayU's unique refund token. PayU only queues
	 * refunds, so an accepted one is PENDING with PayU's {@code request_id}. Not retried here: PayU may answer a
	 * repeated token with a refusal, so a lost answer is a 503 and the caller retries with the same token.
	 */
	@Override
	public Mono<GatewayRefund> refund(String gatewayOrderId, String gatewayPaymentId, Money amount,
			String idempotencyKey) {
		if (idempotencyKey == null || idempotencyKey.isBlank()) {
			return Mono.error(new IllegalArgumentException("A PayU refund needs a unique token"));
		}
		String formatted = DecimalAmounts.format(amount);
		return mihpayid(gatewayOrderId, gatewayPaymentId)
			.flatMap(mihpayid -> call("refund", "cancel_refund_transaction", mihpayid,
					Map.of("var2", idempotencyKey, "var3", formatted), Effect.WRITE))
			.map(body -> {
				String requestId = text(body, "request_id");
				if (body.path("status").asInt(0) == 1 && requestId != null) {
					return new GatewayRefund(requestId, gatewayPaymentId, amount, GatewayRefund.Status.PENDING);
				}
				String message = text(body, "msg");
				if (duplicate(body, message)) {
					log.info("PayU refund {}: PayU already has this token: {}", idempotencyKey, message);
					throw new GatewayRejectedException(HttpStatus.CONFLICT, "refund_in_progress",
							"PayU already has this refund.", text(body, "error_code") + ": " + message);
				}
				throw new GatewayRejectedException(HttpStatus.UNPROCESSABLE_ENTITY, "refund_rejected",
						"PayU refused this refund.", message);
			});
	}

	/**
	 * {@code check_action_status} of the refund's {@code request_id}; without it (the refund's answer was lost),
	 * {@code check_action_status} of the payment ({@code var2=payuid}) and the action carrying our token. Empty
	 * when PayU cannot say (no such request or token): a refund is never called failed on the strength of
	 * silence.
	 */
	@Override
	public Mono<GatewayRefund> fetchRefund(String gatewayOrderId, String gatewayPaymentId, String refundKey,
			String gatewayRefundId) {
		if (gatewayRefundId == null || gatewayRefundId.isBlank()) {
			return findRefund(gatewayOrderId, gatewayPaymentId, refundKey);
		}
		return call("fetch_refund", "check_action_status", gatewayRefundId, Map.of(), Effect.READ)
			.flatMap(body -> Mono.justOrEmpty(refundDetails(body.path("transaction_details"), gatewayRefundId)))
			.flatMap(details -> refund(details, gatewayRefundId, gatewayPaymentId));
	}

	private Mono<GatewayRefund> findRefund(String gatewayOrderId, String gatewayPaymentId, String refundKey) {
		if (refundKey == null || refundKey.isBlank() || gatewayPaymentId == null) {
			return Mono.empty();
		}
		return mihpayid(gatewayOrderId, gatewayPaymentId)
			.flatMap(mihpayid -> call("find_refund", "check_action_status", mihpayid, Map.of("var2", "payuid"),
					Effect.READ))
			.flatMap(body -> Mono.justOrEmpty(actionByToken(body.path("transaction_details"), refundKey)))
			.flatMap(details -> {
				String requestId = text(details, "request_id");
				if (requestId == null) {
					log.warn("PayU reported refund {} without its request_id; asking again later", refundKey);
					return Mono.empty();
				}
				return refund(details, requestId, gatewayPaymentId);
			})
			// PayU knowing no such payment knows no refund of it either
			.onErrorResume(GatewayRejectedException.class,
					ex -> "payment_not_found".equals(ex.code()) ? Mono.empty() : Mono.error(ex));
	}

	private Mono<GatewayRefund> refund(JsonNode details, String requestId, String gatewayPaymentId) {
		GatewayRefund.Status status = refundStatus(text(details, "status"));
		if (status == null) {
			log.warn("PayU refund {} has a status Tijori does not know; asking again later", requestId);
			return Mono.empty();
		}
		String amount = text(details, "amount");
		Money money = (amount != null) ? amount(amount) : Money.zero(Money.INR);
		return Mono.just(new GatewayRefund(requestId, gatewayPaymentId, money, status));
	}

	/**
	 * PayU's answers for a token it already has: 106 "Token already exists", 109 "Request is already logged",
	 * 227 "Transactions with the same amount and same token are not allowed" (PayU's refund error codes), or
	 * a message that says so where a code is missing.
	 */
	static boolean duplicate(JsonNode body, String message) {
		String code = text(body, "error_code");
		if ("106".equals(code) || "109".equals(code) || "227".equals(code)) {
			return true;
		}
		String lower = (message == null) ? "" : message.toLowerCase(Locale.ROOT);
		return (lower.contains("token") || lower.contains("request"))
				&& (lower.contains("already") || lower.contains("duplicate"));
	}

	/** The refund action whose merchant token is {@code token}, anywhere in a check_action_status answer. */
	private static Optional<JsonNode> actionByToken(JsonNode node, String token) {
		if (node.isObject()) {
			if (token.equals(text(node, "token")) && node.has("status") && !node.path("status").isContainerNode()) {
				return Optional.of(node);
			}
			for (Iterator<JsonNode> children = node.elements(); children.hasNext();) {
				Optional<JsonNode> found = actionByToken(children.next(), token);
				if (found.isPresent()) {
					return found;
				}
			}
		}
		return Optional.empty();
	}

	/** Whether the posted-back form is PayU's for our key: the reverse hash over its fields, checked in constant time. */
	@Override
	public Optional<PaymentNotice> verifyReturn(Map<String, String> fields) {
		String txnid = fields.get("txnid");
		if (!this.mode.key().equals(fields.get("key")) || txnid == null || txnid.isBlank()
				|| !PayuHash.verifyResponse(fields, this.mode.salt())) {
			return Optional.empty();
		}
		return Optional.of(new PaymentNotice(NAME, txnid, null, null, null, fields.get("mihpayid")));
	}

	/**
	 * PayU's server-to-server notification: the same reverse-hashed form as the browser's return. PayU sends no
	 * event id, so deliveries are told apart by the transaction, PayU's payment id and the status they report.
	 */
	@Override
	public Optional<GatewayNotification> verifyNotification(byte[] rawBody, HttpHeaders headers) {
		if (!NotificationBodies.isForm(headers)) {
			return Optional.empty();
		}
		Map<String, String> fields = NotificationBodies.form(rawBody);
		return verifyReturn(fields).map(notice -> {
			String status = fields.getOrDefault("status", "");
			String eventId = NotificationBodies.eventId(NAME, notice.gatewayOrderId(),
					fields.getOrDefault("mihpayid", ""), status);
			return GatewayNotification.payment(eventId, status.isEmpty() ? null : status, notice);
		});
	}

	/** Looks up an id no order ever has: the cheapest read that still crosses the gateway's API. */
	@Override
	public Mono<Void> probe() {
		return transaction(PROBE_ID).then();
	}

	@Override
	public HealthStatus callHealth() {
		return this.calls.health();
	}

	@Override
	public Optional<GatewayUnavailableException> refusal() {
		return this.calls.refusal();
	}

	/** verify_payment's details of one transaction, or empty when PayU does not know it. */
	private Mono<JsonNode> transaction(String txnid) {
		return call("verify_payment", "verify_payment", txnid, Map.of(), Effect.READ).flatMap(body -> {
			JsonNode details = body.path("transaction_details").path(txnid);
			if (details.isObject()) {
				String status = text(details, "status");
				String mihpayid = text(details, "mihpayid");
				boolean missing = status == null || "not found".equalsIgnoreCase(status) || mihpayid == null
						|| "not found".equalsIgnoreCase(mihpayid);
				return missing ? Mono.empty() : Mono.just(details);
			}
			if (body.path("status").asInt(0) == 1) {
				return Mono.empty();
			}
			log.warn("PayU refused a verify_payment query: {}", text(body, "msg"));
			return Mono.error(this.calls.failure(Kind.MISCONFIGURED, null));
		});
	}

	private GatewayPayment payment(String txnid, JsonNode details) {
		String state = text(details, "status");
		GatewayPayment.Status status = paymentStatus(state);
		String amount = text(details, "amt");
		if (amount == null) {
			amount = text(details, "transaction_amount");
		}
		String mode = text(details, "mode");
		boolean failed = status == GatewayPayment.Status.FAILED;
		return new GatewayPayment(paymentId(text(details, "mihpayid")), txnid, amount(amount), status,
				(mode == null) ? null : mode.toLowerCase(Locale.ROOT), 0, failed ? text(details, "error_code") : null,
				failed ? text(details, "error_Message") : null);
	}

	/** PayU's transaction status, mapped exhaustively; anything unknown is treated as not finished yet. */
	static GatewayPayment.Status paymentStatus(String status) {
		String value = (status == null) ? "" : status.trim().toLowerCase(Locale.ROOT);
		return switch (value) {
			case "success", "captured" -> GatewayPayment.Status.CAPTURED;
			case "failure", "failed", "dropped", "bounced", "usercancelled" -> GatewayPayment.Status.FAILED;
			case "pending", "initiated", "in progress" -> GatewayPayment.Status.CREATED;
			default -> {
				log.warn("PayU reported transaction status '{}'; treating it as pending", status);
				yield GatewayPayment.Status.CREATED;
			}
		};
	}

	/** PayU's refund (action) status; null when unknown. */
	static GatewayRefund.Status refundStatus(String status) {
		String value = (status == null) ? "" : status.trim().toLowerCase(Locale.ROOT);
		return switch (value) {
			case "success", "processed", "completed", "refunded" -> GatewayRefund.Status.PROCESSED;
			case "queued", "pending", "requested", "in progress" -> GatewayRefund.Status.PENDING;
			case "failure", "failed", "cancelled", "rejected" -> GatewayRefund.Status.FAILED;
			default -> null;
		};
	}

	/** check_action_status nests the action under its request id (sometimes twice): find the object that has it. */
	private static Optional<JsonNode> refundDetails(JsonNode node, String requestId) {
		if (node.isObject()) {
			if (node.has("status") && (requestId.equals(text(node, "request_id")) || !node.has("request_id"))
					&& !node.path("status").isContainerNode()) {
				return Optional.of(node);
			}
			for (Iterator<JsonNode> children = node.elements(); children.hasNext();) {
				Optional<JsonNode> found = refundDetails(children.next(), requestId);
				if (found.isPresent()) {
					return found;
				}
			}
		}
		return Optional.empty();
	}

	/** A mihpayid is normally digits; one that is not a plain id gets a stable derived id (a MongoDB map key). */
	static String paymentId(String mihpayid) {
		if (mihpayid != null && PLAIN_ID.matcher(mihpayid).matches() && !mihpayid.startsWith(DERIVED)) {
			return mihpayid;
		}
		return DERIVED + PayuHash.sha512Hex(String.valueOf(mihpayid)).substring(0, 40);
	}

	/** The real mihpayid behind a payment id (looked up again only when the id had to be derived). */
	private Mono<String> mihpayid(String txnid, String paymentId) {
		if (!paymentId.startsWith(DERIVED)) {
			return Mono.just(paymentId);
		}
		return transaction(txnid).map(details -> text(details, "mihpayid"))
			.filter(mihpayid -> paymentId(mihpayid).equals(paymentId))
			.switchIfEmpty(Mono.error(() -> new GatewayRejectedException(HttpStatus.UNPROCESSABLE_ENTITY,
					"payment_not_found", "PayU knows no such payment for this transaction.")));
	}

	private Money amount(String text) {
		try {
			return DecimalAmounts.parse(text, Money.INR);
		}
		catch (RuntimeException ex) {
			log.warn("PayU reported an amount Tijori cannot read exactly: {}", text);
			throw this.calls.failure(Kind.PROTOCOL, ex);
		}
	}

	/**
	 * One {@code postservice} call: {@code key, command, var1, hash} (PayU signs only {@code var1}) plus
	 * {@code extra} vars, retried as its {@code effect} allows.
	 */
	private Mono<JsonNode> call(String operation, String command, String var1, Map<String, String> extra,
			Effect effect) {
		return this.calls.guard(operation, effect, Mono.defer(() -> {
			URI target;
			try {
				target = URI.create(this.mode.apiUrl().get());
			}
			catch (RuntimeException ex) {
				return Mono.error(this.calls.failure(Kind.TRANSIENT, ex));
			}
			MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
			form.add("key", this.mode.key());
			form.add("command", command);
			form.add("var1", var1);
			extra.forEach(form::add);
			form.add("hash", PayuHash.api(this.mode.key(), command, var1, this.mode.salt()));
			return this.web.post()
				.uri(target)
				.contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.accept(MediaType.APPLICATION_JSON, MediaType.TEXT_HTML, MediaType.TEXT_PLAIN)
				.body(BodyInserters.fromFormData(form))
				.retrieve()
				.onStatus(status -> status.is5xxServerError() || status.value() == 429,
						response -> response.releaseBody()
							.then(Mono.error(this.calls.failure(Kind.TRANSIENT, null))))
				.onStatus(HttpStatusCode::is4xxClientError, response -> LogContext.defer(() -> {
					log.warn("PayU answered {} with HTTP {}", command, response.statusCode().value());
					return response.releaseBody()
						.then(Mono.error(this.calls.failure(Kind.MISCONFIGURED, null)));
				}))
				.bodyToMono(String.class)
				// handle, not map: its parse logs with the request's MDC (Reactor restores it for handle)
				.handle((body, sink) -> sink.next(parse(body)));
		}));
	}

	private JsonNode parse(String body) {
		try {
			JsonNode node = this.json.readTree(body);
			if (node == null || !node.isObject()) {
				throw this.calls.failure(Kind.PROTOCOL, null);
			}
			return node;
		}
		catch (JsonProcessingException ex) {
			log.warn("PayU answered with something that is not JSON");
			throw this.calls.failure(Kind.PROTOCOL, ex);
		}
	}

	/** A JSON field as text; null when absent, JSON null or blank. */
	private static String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		if (value == null || value.isNull() || value.isContainerNode()) {
			return null;
		}
		String text = value.asText().trim();
		return text.isEmpty() ? null : text;
	}

	/** Strips what would break PayU's pipe-separated hash, collapses spaces and cuts to {@code max} characters. */
	static String clean(String value, int max, String fallback) {
		String text = (value == null) ? "" : UNSAFE.matcher(value).replaceAll(" ").replaceAll("\\s+", " ").trim();
		if (text.codePointCount(0, text.length()) > max) {
			text = text.substring(0, text.offsetByCodePoints(0, max)).trim();
		}
		return text.isEmpty() ? fallback : text;
	}

	static String email(String email) {
		String text = clean(email, Integer.MAX_VALUE, "");
		return (text.length() <= 50 && EMAIL.matcher(text).matches()) ? text : FALLBACK_EMAIL;
	}

	/**
	 * Where this adapter's calls go: PayU itself, or the built-in sandbox.
	 *
	 * @param paymentUrl where the buyer's browser posts the form (a relative path for the same-origin sandbox)
	 * @param apiUrl the {@code postservice} URL, resolved per call (the sandbox's port is known only once the
	 *        server has started)
	 */
	record PayuMode(boolean sandbox, String key, String salt, String paymentUrl, Supplier<String> apiUrl) {

		@Override
		public String toString() {
			return "PayuMode[" + (this.sandbox ? "sandbox" : "live") + ", key=" + PayuProperties.mask(this.key) + "]";
		}

	}

}
