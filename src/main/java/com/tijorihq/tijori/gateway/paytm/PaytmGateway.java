package com.tijorihq.tijori.gateway.paytm;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
import org.springframework.http.MediaType;
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
import com.tijorihq.tijori.gateway.paytm.PaytmConfiguration.PaytmMode;
import com.tijorihq.tijori.gateway.GatewayCallFailure.Kind;
import com.tijorihq.tijori.gateway.GatewayCallFailure;
import com.tijorihq.tijori.gateway.GatewayCalls;
import com.tijorihq.tijori.gateway.HealthStatus;
import com.tijorihq.tijori.gateway.GatewayCalls.Effect;

/**
 * {@link PaymentGateway} over Paytm's JSON APIs with Spring's {@link WebClient}. Paytm has no order object of its
 * own: Tijori's order id is Paytm's {@code orderId} (and so the gateway order id), Initiate Transaction hands out
 * the {@code txnToken} the browser checkout needs, and one order has one transaction, whose state the status API
 * reports. Every request body is signed with the checksum over the exact JSON text sent.
 * <p>
 * Unlike the Razorpay adapter there is no scheduler: WebClient never blocks a thread, so calls run on the event
 * loop under the guard every adapter shares ({@link GatewayCalls}: a Reactor timeout, a circuit breaker) and a
 * response timeout of the HTTP client. Reads (status APIs) and refunds (keyed by {@code refId}) are retried on
 * transient errors and timeouts; Initiate Transaction is not.
 */
final class PaytmGateway implements PaymentGateway {

	private static final Logger log = LoggerFactory.getLogger(PaytmGateway.class);

	private static final String PROBE_ID = "tijori_health_probe";

	static final String NAME = "paytm";

	private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9_]{1,64}");

	private static final Pattern CUST_ID = Pattern.compile("[^A-Za-z0-9_@.-]");

	/** Paytm's answer when the checksum of our request did not verify: our key is wrong. */
	private static final String CHECKSUM_INVALID = "2005";

	/**
	 * Paytm's refund answer for a refId it already has ("Refund Already Raised"): a repeated request, or the same
	 * refId with other parameters.
	 */
	private static final String REFUND_ALREADY_RAISED = "617";

	/** Paytm's refund status answer for a refId it does not know. */
	private static final String REFUND_NOT_FOUND = "631";

	private static final GatewayCapabilities CAPABILITIES = new GatewayCapabilities(true, false, 100, true, false, false);

	private final PaytmMode mode;

	private final WebClient client;

	private final GatewayCalls calls;

	private final CallbackUrls callbackUrls;

	private final ObjectMapper json;

	PaytmGateway(PaytmMode mode, WebClient client, CircuitBreaker breaker, CallbackUrls callbackUrls,
			PaytmProperties properties, ObjectMapper json, MeterRegistry meters) {
		this.mode = mode;
		this.client = client;
		// a Paytm timeout is retried too: its status APIs are reads, and a refund carries its refId
		this.calls = new GatewayCalls(NAME, breaker, properties.callTimeout(), properties.retryAfter(),
				properties.retryAfter(), GatewayCalls.retry(2, Duration.ofMillis(100), Kind.TRANSIENT, Kind.TIMEOUT),
				meters);
		this.callbackUrls = callbackUrls;
		this.json = json;
		// loads the JCA providers now, on the start-up thread, rather than on the first request's event loop
		PaytmChecksum.verify("warm-up", mode.merchantKey(), PaytmChecksum.generate("warm-up", mode.merchantKey()));
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public String publicKeyId() {
		return this.mode.mid();
	}

	@Override
	public boolean sandbox() {
		return this.mode.sandbox();
	}

	/**
	 * Paytm captures every payment itself, and one order id is one transaction: paying again after a failure
	 * takes a new gateway order. Refunds are keyed by {@code refId}, but a repeated one is refused, not replayed.
	 */
	@Override
	public GatewayCapabilities capabilities() {
		return CAPABILITIES;
	}

	@Override
	public Map<String, String> checkoutInfo() {
		String host = this.mode.browserHost();
		if (this.mode.sandbox()) {
			return Map.of("mid", this.mode.mid(), "host", host, "checkoutUrl", host + "/checkout");
		}
		return Map.of("mid", this.mode.mid(), "host", host, "script",
				host + "/merchantpgpui/checkoutjs/merchants/" + this.mode.mid() + ".js");
	}

	@Override
	public Mono<GatewayOrder> createOrder(GatewayOrderRequest request) {
		Money amount = request.amount();
		if (!Money.INR.equals(amount.currency())) {
			return Mono.error(GatewayRejectedException.currencyNotSupported("Paytm", amount.currency()));
		}
		String orderId = request.receipt();
		String value = DecimalAmounts.format(amount);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("requestType", "Payment");
		body.put("mid", this.mode.mid());
		body.put("websiteName", this.mode.website());
		body.put("orderId", orderId);
		body.put("callbackUrl", this.callbackUrls.callback(NAME));
		body.put("txnAmount", Map.of("value", value, "currency", Money.INR));
		body.put("userInfo", Map.of("custId", custId(request)));
		String path = "/theia/api/v1/initiateTransaction?mid=" + encode(this.mode.mid()) + "&orderId="
				+ encode(orderId);
		return call("create_order", Effect.WRITE, path, body).map(answer -> {
			Result result = Result.of(answer);
			String token = answer.path("txnToken").asText("");
			// 0002: the same order initiated again (a retried create) answers with its existing token
			boolean ok = "S".equals(result.status()) && ("0000".equals(result.code()) || "0002".equals(result.code()));
			if (!ok || token.isBlank()) {
				throw refusal("create_order", result);
			}
			Map<String, String> checkout = new LinkedHashMap<>();
			checkout.put("mid", this.mode.mid());
			checkout.put("orderId", orderId);
			checkout.put("txnToken", token);
			checkout.put("amount", value);
			checkout.put("host", this.mode.browserHost());
			if (this.mode.sandbox()) {
				checkout.put("checkoutUrl", this.mode.browserHost() + "/checkout?mid=" + encode(this.mode.mid())
						+ "&orderId=" + encode(orderId) + "&txnToken=" + encode(token));
			}
			return new GatewayOrder(orderId, amount, 0, orderId, "created", checkout);
		});
	}

	/** Paytm has no order object to look up: a repeated Initiate Transaction is idempotent instead. */
	@Override
	public Mono<GatewayOrder> findOrderByReceipt(String receipt) {
		return Mono.empty();
	}

	@Override
	public Mono<List<GatewayPayment>> fetchOrderPayments(String gatewayOrderId) {
		return status(gatewayOrderId).map(answer -> payment(gatewayOrderId, answer).map(List::of).orElse(List.of()));
	}

	/** Paytm names only the order: its one transaction, from the status API. */
	@Override
	public Mono<List<GatewayPayment>> confirm(PaymentNotice notice) {
		return fetchOrderPayments(notice.gatewayOrderId());
	}

	/** Paytm captures every payment itself; checkout never asks (see {@link #capabilities()}). */
	@Override
	public Mono<GatewayPayment> capture(String gatewayPaymentId, Money amount) {
		return GatewayRejectedException.capturesAutomatically();
	}

	@Override
	public Mono<GatewayRefund> refund(String gatewayOrderId, String gatewayPaymentId, Money amount,
			String idempotencyKey) {
		if (idempotencyKey == null || idempotencyKey.isBlank()) {
			// Paytm's refId is mandatory and is what makes a retried refund safe
			return Mono.error(new IllegalArgumentException("a Paytm refund needs its refId"));
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("mid", this.mode.mid());
		body.put("txnType", "REFUND");
		body.put("orderId", gatewayOrderId);
		body.put("txnId", gatewayPaymentId);
		body.put("refId", idempotencyKey);
		body.put("refundAmount", DecimalAmounts.format(amount));
		return call("refund", Effect.KEYED_WRITE, "/refund/apply", body).map(answer -> {
			Result result = Result.of(answer);
			if (REFUND_ALREADY_RAISED.equals(result.code())) {
				// Paytm took this refId before: its first refund stands, whatever this answer's status says
				log.info("Paytm refund {}: refId already raised: {}", idempotencyKey, result.message());
				throw new GatewayRejectedException(HttpStatus.CONFLICT, "refund_in_progress",
						"The payment gateway already has a refund with this id.",
						result.code() + ": " + result.message());
			}
			GatewayRefund.Status status = switch (result.status()) {
				case "TXN_SUCCESS" -> GatewayRefund.Status.PROCESSED;
				case "PENDING" -> GatewayRefund.Status.PENDING;
				default -> throw refusal("refund", result);
			};
			return new GatewayRefund(refundId(answer, idempotencyKey), gatewayPaymentId,
					refundAmount(answer, amount), status);
		});
	}

	@Override
	public Mono<GatewayRefund> fetchRefund(String gatewayOrderId, String gatewayPaymentId, String refundKey,
			String gatewayRefundId) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("mid", this.mode.mid());
		body.put("orderId", gatewayOrderId);
		body.put("refId", refundKey);
		return call("fetch_refund", Effect.READ, "/v2/refund/status", body).flatMap(answer -> {
			Result result = Result.of(answer);
			if (CHECKSUM_INVALID.equals(result.code())) {
				return Mono.error(refusal("fetch_refund", result));
			}
			if (REFUND_NOT_FOUND.equals(result.code()) || answer.path("refundId").asText("").isBlank()) {
				return Mono.empty();
			}
			GatewayRefund.Status status = switch (result.status()) {
				case "TXN_SUCCESS" -> GatewayRefund.Status.PROCESSED;
				case "PENDING" -> GatewayRefund.Status.PENDING;
				case "TXN_FAILURE" -> GatewayRefund.Status.FAILED;
				default -> null;
			};
			if (status == null) {
				return Mono.error(refusal("fetch_refund", result));
			}
			String paymentId = answer.path("txnId").asText(gatewayPaymentId);
			return Mono.just(new GatewayRefund(refundId(answer, refundKey), paymentId,
					refundAmount(answer, null), status));
		});
	}

	/** The checkout's form, posted back through the browser: {@code CHECKSUMHASH} over the other fields. */
	@Override
	public Optional<PaymentNotice> verifyReturn(Map<String, String> fields) {
		if (fields == null) {
			return Optional.empty();
		}
		String orderId = fields.get("ORDERID");
		String mid = fields.get("MID");
		String checksum = fields.get(PaytmChecksum.CHECKSUMHASH);
		if (orderId == null || orderId.isBlank() || !this.mode.mid().equals(mid) || checksum == null) {
			return Optional.empty();
		}
		if (!PaytmChecksum.verify(PaytmChecksum.callbackParams(fields), this.mode.merchantKey(), checksum)) {
			return Optional.empty();
		}
		return Optional.of(new PaymentNotice(NAME, orderId, null, null, null, fields.get("TXNID")));
	}

	/**
	 * A server-to-server notification: the callback's signed form, or the JSON shape whose head's signature is
	 * the checksum of the body's exact text (the body names our MID and the order: {@code orderId}, or
	 * {@code ORDERID} in the older shape). Paytm sends no event id, so deliveries are told apart by the
	 * transaction and status they report.
	 */
	@Override
	public Optional<GatewayNotification> verifyNotification(byte[] rawBody, HttpHeaders headers) {
		if (NotificationBodies.isForm(headers)) {
			Map<String, String> fields = NotificationBodies.form(rawBody);
			return verifyReturn(fields).map(notice -> notification(notice.gatewayOrderId(), fields.get("TXNID"),
					fields.get("STATUS")));
		}
		if (!NotificationBodies.isJson(headers)) {
			return Optional.empty();
		}
		String rawText = new String(rawBody, StandardCharsets.UTF_8);
		PaytmEnvelope envelope;
		JsonNode body;
		try {
			envelope = PaytmEnvelope.parse(this.json.getFactory(), rawText);
			body = this.json.readTree(envelope.bodyText());
		}
		catch (IllegalArgumentException | JsonProcessingException ex) {
			return Optional.empty();
		}
		if (body == null || !body.isObject()) {
			return Optional.empty();
		}
		String mid = body.path("mid").asText(body.path("MID").asText(""));
		String orderId = body.path("orderId").asText(body.path("ORDERID").asText(""));
		if (envelope.signature() == null || orderId.isBlank() || !this.mode.mid().equals(mid)
				|| !PaytmChecksum.verify(envelope.bodyText(), this.mode.merchantKey(), envelope.signature())) {
			return Optional.empty();
		}
		String txnId = body.path("txnId").asText(body.path("TXNID").asText(""));
		String status = body.path("status").asText(body.path("STATUS").asText(
				body.path("resultInfo").path("resultStatus").asText("")));
		return Optional.of(notification(orderId, txnId, status));
	}

	private GatewayNotification notification(String orderId, String txnId, String status) {
		String txn = (txnId == null) ? "" : txnId;
		String state = (status == null) ? "" : status;
		String eventId = NotificationBodies.eventId(NAME, orderId, txn, state);
		return GatewayNotification.payment(eventId, state.isEmpty() ? null : state,
				new PaymentNotice(NAME, orderId, null, null, null, txn.isEmpty() ? null : txn));
	}

	/** Looks up an id no order ever has: the cheapest read that still crosses the gateway's API. */
	@Override
	public Mono<Void> probe() {
		return status(PROBE_ID).then();
	}

	@Override
	public HealthStatus callHealth() {
		return this.calls.health();
	}

	@Override
	public Optional<GatewayUnavailableException> refusal() {
		return this.calls.refusal();
	}

	// ---- status and mapping ---------------------------------------------------------------------------------

	private Mono<JsonNode> status(String orderId) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("mid", this.mode.mid());
		body.put("orderId", orderId);
		return call("order_status", Effect.READ, "/v3/order/status", body).doOnNext(answer -> {
			Result result = Result.of(answer);
			if (CHECKSUM_INVALID.equals(result.code()) || "F".equals(result.status())) {
				throw refusal("order_status", result);
			}
		});
	}

	/**
	 * The order's one transaction, or empty when there is none yet (initiated but not attempted, or unknown to
	 * Paytm: neither answer carries a {@code txnId}).
	 */
	private Optional<GatewayPayment> payment(String orderId, JsonNode answer) {
		Result result = Result.of(answer);
		String txnId = answer.path("txnId").asText("");
		if (txnId.isBlank()) {
			return Optional.empty();
		}
		GatewayPayment.Status status = switch (result.status()) {
			case "TXN_SUCCESS" -> GatewayPayment.Status.CAPTURED;
			case "TXN_FAILURE" -> GatewayPayment.Status.FAILED;
			case "PENDING" -> GatewayPayment.Status.CREATED;
			default -> throw protocol("order_status", "unknown resultStatus " + result.status());
		};
		Money amount = amount(answer.path("txnAmount").asText(null), "order_status");
		String refunded = answer.path("refundAmt").asText("");
		long amountRefunded = refunded.isBlank() ? 0 : amount(refunded, "order_status").amount();
		String method = answer.path("paymentMode").asText("");
		boolean failed = status == GatewayPayment.Status.FAILED;
		return Optional.of(new GatewayPayment(plainId(txnId), orderId, amount, status,
				method.isBlank() ? null : method.toLowerCase(Locale.ROOT), amountRefunded, failed ? result.code() : null,
				failed ? result.message() : null));
	}

	/** Paytm's TXNIDs are digits; anything else becomes a stable plain id (it is a MongoDB map key). */
	static String plainId(String txnId) {
		if (PLAIN_ID.matcher(txnId).matches()) {
			return txnId;
		}
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(txnId.getBytes(StandardCharsets.UTF_8));
			return "ptm_" + HexFormat.of().formatHex(digest, 0, 20);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private Money amount(String text, String operation) {
		try {
			return DecimalAmounts.parse(text, Money.INR);
		}
		catch (IllegalArgumentException | ArithmeticException ex) {
			throw protocol(operation, "amount " + text);
		}
	}

	private Money refundAmount(JsonNode answer, Money fallback) {
		String text = answer.path("refundAmount").asText("");
		if (text.isBlank()) {
			if (fallback == null) {
				throw protocol("fetch_refund", "no refundAmount");
			}
			return fallback;
		}
		return amount(text, "refund");
	}

	private static String refundId(JsonNode answer, String refId) {
		String id = answer.path("refundId").asText("");
		return id.isBlank() ? refId : id;
	}

	private static String custId(GatewayOrderRequest request) {
		String id = (request.customer() != null) ? request.customer().id() : null;
		String clean = (id == null) ? "" : CUST_ID.matcher(id).replaceAll("");
		clean = clean.isEmpty() ? "guest" : clean;
		return clean.length() > 64 ? clean.substring(0, 64) : clean;
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	/**
	 * A refusal in Tijori's words; Paytm's own code and message stay in {@code reason()}. Paytm failing our
	 * checksum means a wrong merchant key: that is a 503 for the caller and an error for the operator.
	 */
	private RuntimeException refusal(String operation, Result result) {
		if (CHECKSUM_INVALID.equals(result.code())) {
			log.error("Paytm {}: Paytm refused Tijori's checksum; check PAYTM_MID and PAYTM_MERCHANT_KEY", operation);
			return this.calls.failure(Kind.MISCONFIGURED, null);
		}
		String reason = result.code() + ": " + result.message();
		log.info("Paytm {} refused: {}", operation, reason);
		return new GatewayRejectedException(HttpStatus.BAD_REQUEST, "gateway_rejected",
				"The payment gateway rejected the request.", reason);
	}

	private GatewayCallFailure protocol(String operation, String what) {
		log.warn("Paytm {}: unexpected answer ({})", operation, what);
		return this.calls.failure(Kind.PROTOCOL, null);
	}

	// ---- the HTTP call ------------------------------------------------------------------------------------------

	/**
	 * One signed request: {@code {"head":{"signature":…},"body":…}} where the signature is the checksum of exactly
	 * the body text sent. Answers Paytm's {@code body}; errors are {@link GatewayUnavailableException} (no answer,
	 * 5xx, timeout, breaker open) or {@link GatewayRejectedException} (from the caller's mapping).
	 */
	private Mono<JsonNode> call(String operation, Effect effect, String path, Map<String, Object> body) {
		return this.calls.guard(operation, effect, Mono.defer(() -> {
			String bodyJson;
			try {
				bodyJson = this.json.writeValueAsString(body);
			}
			catch (JsonProcessingException ex) {
				return Mono.error(new IllegalStateException("cannot write a Paytm request", ex));
			}
			String signature = PaytmChecksum.generate(bodyJson, this.mode.merchantKey());
			String request = "{\"head\":{\"signature\":\"" + signature + "\"},\"body\":" + bodyJson + "}";
			URI uri;
			try {
				uri = URI.create(this.mode.apiBase().get() + path);
			}
			catch (RuntimeException ex) {
				return Mono.error(this.calls.failure(Kind.TRANSIENT, ex));
			}
			return this.client.post()
				.uri(uri)
				.contentType(MediaType.APPLICATION_JSON)
				.accept(MediaType.APPLICATION_JSON)
				.bodyValue(request)
				.exchangeToMono(response -> {
					int status = response.statusCode().value();
					if (response.statusCode().is2xxSuccessful()) {
						// handle, not map: its parse logs with the request's MDC (Reactor restores it for handle)
						return response.bodyToMono(String.class)
							.defaultIfEmpty("")
							.<JsonNode>handle((text, sink) -> sink.next(parse(operation, text)));
					}
					return response.releaseBody()
						.then(LogContext.defer(() -> Mono.error(httpError(operation, status))));
				});
		}));
	}

	private JsonNode parse(String operation, String text) {
		JsonNode answer;
		try {
			answer = this.json.readTree(text);
		}
		catch (JsonProcessingException ex) {
			throw protocol(operation, "not JSON");
		}
		JsonNode body = (answer != null) ? answer.path("body") : null;
		if (body == null || !body.isObject() || !body.path("resultInfo").isObject()) {
			throw protocol(operation, "no body.resultInfo");
		}
		return body;
	}

	private GatewayCallFailure httpError(String operation, int status) {
		if (status == 429 || status >= 500) {
			log.info("Paytm {}: HTTP {}", operation, status);
			return this.calls.failure(Kind.TRANSIENT, null);
		}
		if (status == 401 || status == 403) {
			log.error("Paytm {}: HTTP {}; check PAYTM_MID, PAYTM_MERCHANT_KEY and PAYTM_BASE_URL", operation, status);
			return this.calls.failure(Kind.MISCONFIGURED, null);
		}
		log.warn("Paytm {}: HTTP {}; check PAYTM_BASE_URL", operation, status);
		return this.calls.failure(Kind.PROTOCOL, null);
	}


	/** Paytm's {@code body.resultInfo}. */
	record Result(String status, String code, String message) {

		static Result of(JsonNode body) {
			JsonNode info = body.path("resultInfo");
			return new Result(info.path("resultStatus").asText(""), info.path("resultCode").asText(""),
					info.path("resultMsg").asText(""));
		}

	}

}
