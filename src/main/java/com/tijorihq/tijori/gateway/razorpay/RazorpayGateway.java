package com.tijorihq.tijori.gateway.razorpay;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import com.razorpay.Order;
import com.razorpay.RazorpayClient;
import com.razorpay.RazorpayException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import okhttp3.HttpUrl;
import org.json.JSONObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

import com.tijorihq.tijori.common.GatewayUnavailableException;
import com.tijorihq.tijori.common.LogContext;
import com.tijorihq.tijori.common.Hashes;
import com.tijorihq.tijori.common.Money;
import com.tijorihq.tijori.common.TijoriException;
import com.tijorihq.tijori.gateway.GatewayCapabilities;
import com.tijorihq.tijori.gateway.GatewayNotification;
import com.tijorihq.tijori.gateway.GatewayOrder;
import com.tijorihq.tijori.gateway.GatewayOrderRequest;
import com.tijorihq.tijori.gateway.GatewayPayment;
import com.tijorihq.tijori.gateway.GatewayRefund;
import com.tijorihq.tijori.gateway.GatewayRejectedException;
import com.tijorihq.tijori.gateway.Hmac;
import com.tijorihq.tijori.gateway.PaymentGateway;
import com.tijorihq.tijori.gateway.PaymentNotice;
import com.tijorihq.tijori.gateway.GatewayCallFailure.Kind;
import com.tijorihq.tijori.gateway.GatewayCalls;
import com.tijorihq.tijori.gateway.HealthStatus;
import com.tijorihq.tijori.gateway.GatewayCalls.Effect;

/**
 * {@link PaymentGateway} over razorpay-java. Each SDK call is a blocking HTTP exchange, so it runs as
 * {@code Mono.fromCallable(...).subscribeOn(gatewayScheduler)} on a bounded scheduler whose full queue refuses
 * work at once (503), inside the guard every adapter shares ({@link GatewayCalls}: a Reactor timeout that here also
 * aborts the HTTP exchange, freeing the thread, and a circuit breaker). Reads are retried with jittered backoff on
 * transient failures; creating an order and capturing never are (not idempotent at Razorpay), refunds only when
 * they carry an idempotency key.
 */
final class RazorpayGateway implements PaymentGateway {

	private static final Logger log = LoggerFactory.getLogger(RazorpayGateway.class);

	private static final String PROBE_ID = "tijori_health_probe";

	static final String REFUND_IDEMPOTENCY_HEADER = "X-Refund-Idempotency";

	/** The refund note that carries Tijori's refund id. */
	static final String REFUND_KEY_NOTE = "tijori_refund_id";

	/** Razorpay's largest page of a collection. */
	private static final int REFUND_PAGE = 100;

	private final RazorpayClient client;

	private final RazorpayMode mode;

	private final Scheduler scheduler;

	private final GatewayCalls calls;

	private final RazorpayProperties properties;

	private final AtomicInteger waiting = new AtomicInteger();

	private final AtomicInteger running = new AtomicInteger();

	RazorpayGateway(RazorpayMode mode, Scheduler scheduler, CircuitBreaker breaker, RazorpayProperties properties,
			MeterRegistry meters) {
		SdkHttpClient.install(properties);
		try {
			this.client = new RazorpayClient(mode.keyId(), mode.keySecret());
		}
		catch (RazorpayException ex) {
			throw new IllegalStateException("Cannot create the Razorpay client", ex);
		}
		this.mode = mode;
		this.scheduler = scheduler;
		// an open breaker tells clients to come back when it lets calls through again
		this.calls = new GatewayCalls(NAME, breaker, properties.callTimeout(), properties.retryAfter(),
				properties.breaker().openFor(),
				GatewayCalls.retry(properties.readRetries(), properties.retryBackoff(), Kind.TRANSIENT), meters);
		this.properties = properties;
		Gauge.builder("tijori.gateway.pool.active", this.running, AtomicInteger::get)
			.description("Gateway calls holding a gateway thread")
			.tag("gateway", name())
			.register(meters);
		Gauge.builder("tijori.gateway.pool.queued", this.waiting, AtomicInteger::get)
			.description("Gateway calls waiting for a gateway thread")
			.tag("gateway", name())
			.register(meters);
	}

	static final String NAME = "razorpay";

	/** Razorpay's largest page of payments. */
	private static final int PAYMENT_PAGE = 100;

	static final String SIGNATURE_HEADER = "X-Razorpay-Signature";

	static final String EVENT_ID_HEADER = "X-Razorpay-Event-Id";

	/** Razorpay authorises, Tijori captures; a failed payment leaves its order open for another. */
	private static final GatewayCapabilities CAPABILITIES = new GatewayCapabilities(false, true, 100, true, true, true);

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public GatewayCapabilities capabilities() {
		return CAPABILITIES;
	}

	@Override
	public String publicKeyId() {
		return this.mode.keyId();
	}

	@Override
	public boolean sandbox() {
		return this.mode.sandbox();
	}

	@Override
	public Map<String, String> checkoutInfo() {
		return this.mode.sandbox() ? Map.of("keyId", this.mode.keyId(), "checkoutUrl", "/sandbox/razorpay/checkout")
				: Map.of("keyId", this.mode.keyId(), "script", "https://checkout.razorpay.com/v1/checkout.js");
	}

	@Override
	public Mono<GatewayOrder> createOrder(GatewayOrderRequest order) {
		Money amount = order.amount();
		if (!Money.INR.equals(amount.currency())) {
			// Tijori's Razorpay rules (the minimum refund, the sandbox) are INR's, like the other adapters'
			return Mono.error(GatewayRejectedException.currencyNotSupported("Razorpay", amount.currency()));
		}
		String receipt = order.receipt();
		JSONObject request = new JSONObject().put("amount", amount.amount())
			.put("currency", amount.currency())
			.put("receipt", receipt)
			.put("notes", new JSONObject().put("tijori_order_id", receipt));
		return call("create_order", Effect.WRITE, Map.of(),
				() -> RazorpayMapper.order(this.client.orders.create(request)));
	}

	@Override
	public Mono<GatewayOrder> findOrderByReceipt(String receipt) {
		JSONObject query = new JSONObject().put("receipt", receipt).put("count", 10);
		return call("find_order", Effect.READ, Map.of(), () -> {
			List<Order> orders = this.client.orders.fetchAll(query);
			if (orders.size() > 1) {
				log.warn("Razorpay has {} orders with receipt {}; using the newest", orders.size(), receipt);
			}
			return orders.stream()
				.map(RazorpayMapper::order)
				.filter(order -> receipt.equals(order.receipt()))
				.findFirst()
				.orElse(null);
		});
	}

	Mono<GatewayOrder> fetchOrder(String gatewayOrderId) {
		return call("fetch_order", Effect.READ, Map.of(),
				() -> RazorpayMapper.order(this.client.orders.fetch(gatewayOrderId)));
	}

	@Override
	public Mono<List<GatewayPayment>> fetchOrderPayments(String gatewayOrderId) {
		return call("fetch_order_payments", Effect.READ, Map.of(),
				() -> RazorpayMapper.payments(this.client.orders.fetchPayments(gatewayOrderId)));
	}

	/**
	 * Razorpay's {@code GET /payments} with {@code from}/{@code to} (Unix seconds, both inclusive) a page of
	 * {@value #PAYMENT_PAGE} at a time; the next page is asked for only when the subscriber wants more and the
	 * last one was full.
	 */
	@Override
	public Flux<GatewayPayment> listPayments(Instant from, Instant to) {
		long fromSecond = from.getEpochSecond();
		long toSecond = to.minusNanos(1).getEpochSecond();
		return paymentPage(fromSecond, toSecond, 0)
			.expand(page -> (page.size() < PAYMENT_PAGE) ? Mono.empty()
					: paymentPage(fromSecond, toSecond, page.skip() + PAYMENT_PAGE))
			.concatMapIterable(PaymentPage::payments);
	}

	private Mono<PaymentPage> paymentPage(long from, long to, int skip) {
		JSONObject query = new JSONObject().put("from", from).put("to", to).put("count", PAYMENT_PAGE).put("skip", skip);
		return call("list_payments", Effect.READ, Map.of(),
				() -> new PaymentPage(skip, RazorpayMapper.payments(this.client.payments.fetchAll(query))));
	}

	private record PaymentPage(int skip, List<GatewayPayment> payments) {

		int size() {
			return this.payments.size();
		}

	}

	/** The named payment, or every payment of the order when the notice names none. */
	@Override
	public Mono<List<GatewayPayment>> confirm(PaymentNotice notice) {
		return (notice.gatewayPaymentId() != null) ? fetchPayment(notice.gatewayPaymentId()).map(List::of)
				: fetchOrderPayments(notice.gatewayOrderId());
	}

	Mono<GatewayPayment> fetchPayment(String gatewayPaymentId) {
		return call("fetch_payment", Effect.READ, Map.of(),
				() -> RazorpayMapper.payment(this.client.payments.fetch(gatewayPaymentId)));
	}

	@Override
	public Mono<GatewayPayment> capture(String gatewayPaymentId, Money amount) {
		JSONObject request = new JSONObject().put("amount", amount.amount()).put("currency", amount.currency());
		return call("capture", Effect.WRITE, Map.of(),
				() -> RazorpayMapper.payment(this.client.payments.capture(gatewayPaymentId, request)));
	}

	/**
	 * Keyed refunds carry the key twice: as {@code X-Refund-Idempotency} (so a retry is the same refund) and as
	 * the note {@value #REFUND_KEY_NOTE} (so {@link #fetchRefund} can find the refund when its answer was lost).
	 */
	@Override
	public Mono<GatewayRefund> refund(String gatewayOrderId, String gatewayPaymentId, Money amount, String idempotencyKey) {
		JSONObject request = new JSONObject().put("amount", amount.amount());
		boolean keyed = idempotencyKey != null && !idempotencyKey.isBlank();
		if (keyed) {
			request.put("notes", new JSONObject().put(REFUND_KEY_NOTE, idempotencyKey));
		}
		Map<String, String> headers = keyed ? Map.of(REFUND_IDEMPOTENCY_HEADER, idempotencyKey) : Map.of();
		return call("refund", keyed ? Effect.KEYED_WRITE : Effect.WRITE, headers,
				() -> RazorpayMapper.refund(this.client.payments.refund(gatewayPaymentId, request)));
	}

	/**
	 * By Razorpay's refund id when known; otherwise among the payment's refunds, the one whose
	 * {@value #REFUND_KEY_NOTE} note is {@code refundKey}. Empty when Razorpay has no such refund (or payment).
	 * Only the first page of 100 refunds is searched: Tijori never makes that many refunds of one payment.
	 */
	@Override
	public Mono<GatewayRefund> fetchRefund(String gatewayOrderId, String gatewayPaymentId, String refundKey,
			String gatewayRefundId) {
		Mono<GatewayRefund> found;
		if (gatewayRefundId != null && !gatewayRefundId.isBlank()) {
			found = call("fetch_refund", Effect.READ, Map.of(),
					() -> RazorpayMapper.refund(this.client.refunds.fetch(gatewayRefundId)));
		}
		else if (refundKey != null && !refundKey.isBlank() && gatewayPaymentId != null) {
			JSONObject query = new JSONObject().put("count", REFUND_PAGE);
			found = call("find_refund", Effect.READ, Map.of(),
					() -> this.client.payments.fetchAllRefunds(gatewayPaymentId, query)
						.stream()
						.filter(refund -> refundKey.equals(RazorpayMapper.note(refund, REFUND_KEY_NOTE)))
						.map(RazorpayMapper::refund)
						.findFirst()
						.orElse(null));
		}
		else {
			return Mono.empty();
		}
		return found.onErrorResume(GatewayRejectedException.class,
				ex -> (ex.status() == HttpStatus.NOT_FOUND) ? Mono.empty() : Mono.error(ex));
	}

	/** What Razorpay Checkout's handler gives the browser. */
	private static final List<String> RETURN_FIELDS = List.of("razorpay_order_id", "razorpay_payment_id",
			"razorpay_signature");

	/**
	 * Razorpay Checkout's handler result ({@code razorpay_order_id}, {@code razorpay_payment_id},
	 * {@code razorpay_signature}): the signature is the HMAC of {@code order_id|payment_id} with the key secret,
	 * compared in constant time.
	 */
	@Override
	public Optional<PaymentNotice> verifyReturn(Map<String, String> fields) {
		String orderId = fields.get("razorpay_order_id");
		String paymentId = fields.get("razorpay_payment_id");
		String signature = fields.get("razorpay_signature");
		List<TijoriException.FieldError> missing = RETURN_FIELDS.stream()
			.filter(field -> fields.get(field) == null || fields.get(field).isBlank())
			.map(field -> new TijoriException.FieldError(field, "must not be blank"))
			.toList();
		if (missing.size() == RETURN_FIELDS.size()) {
			// not Razorpay Checkout's fields at all
			return Optional.empty();
		}
		if (!missing.isEmpty()) {
			// Razorpay's handler always gives all three: say which are missing, as a client can fix that
			throw TijoriException.invalid(missing);
		}
		if (!Hmac.matches(this.mode.keySecret(), orderId + "|" + paymentId, signature)) {
			return Optional.empty();
		}
		return Optional.of(new PaymentNotice(NAME, orderId, paymentId, null, null, null));
	}

	/**
	 * A webhook: {@code X-Razorpay-Signature} is the HMAC of the raw bytes with the webhook secret, checked before
	 * anything is parsed. Its event id is {@code X-Razorpay-Event-Id}, or the SHA-256 of the body when absent.
	 */
	@Override
	public Optional<GatewayNotification> verifyNotification(byte[] rawBody, HttpHeaders headers) {
		if (!Hmac.matches(this.mode.webhookSecret(), rawBody, headers.getFirst(SIGNATURE_HEADER))) {
			return Optional.empty();
		}
		String header = headers.getFirst(EVENT_ID_HEADER);
		if (header != null && !validEventId(header)) {
			throw TijoriException.invalid(EVENT_ID_HEADER, "must be 1 to 100 visible ASCII characters");
		}
		String eventId = (header != null) ? header : "sha256:" + HexFormat.of().formatHex(Hashes.sha256(rawBody));
		return Optional.of(RazorpayNotifications.parse(eventId, rawBody));
	}

	private static boolean validEventId(String id) {
		return !id.isEmpty() && id.length() <= 100 && id.chars().allMatch(c -> c > 32 && c < 127);
	}

	/** Looks up an id no order ever has: the cheapest read that still crosses the gateway's API. */
	@Override
	public Mono<Void> probe() {
		return findOrderByReceipt(PROBE_ID).then();
	}

	@Override
	public HealthStatus callHealth() {
		return this.calls.health();
	}

	@Override
	public Optional<GatewayUnavailableException> refusal() {
		Optional<GatewayUnavailableException> open = this.calls.refusal();
		if (open.isPresent()) {
			return open;
		}
		if (this.running.get() + this.waiting.get() >= capacity()) {
			return Optional.of(this.calls.failure(Kind.SATURATED, null));
		}
		return Optional.empty();
	}

	/** Reactor's bounded scheduler queues up to {@code queue} tasks per thread. */
	@Override
	public int capacity() {
		return (int) Math.min(Integer.MAX_VALUE, (long) this.properties.threads() * (1 + this.properties.queue()));
	}

	/** Calls holding a gateway thread right now. */
	int activeCalls() {
		return this.running.get();
	}

	CircuitBreaker.State breakerState() {
		return this.calls.breakerState();
	}

	/**
	 * One SDK call, made safe for the event loop: the blocking part runs on the bounded scheduler (a full queue is a
	 * SATURATED 503 at once), the shared guard adds timeout, retries, breaker and timer, and a timeout aborts the
	 * HTTP exchange so the thread is freed. The callable maps every SDK exception itself, so no SDK type leaves
	 * it. An empty result (null) becomes an empty {@code Mono}.
	 */
	private <T> Mono<T> call(String operation, Effect effect, Map<String, String> headers,
			SdkOperation<T> sdkOperation) {
		return this.calls.guard(operation, effect, Mono.defer(() -> {
			HttpUrl target;
			try {
				target = this.mode.apiBase().get();
			}
			catch (RuntimeException ex) {
				return Mono.error(this.calls.failure(Kind.TRANSIENT, ex));
			}
			SdkCall sdkCall = new SdkCall(target, headers, this.properties.connectTimeout(),
					this.properties.httpTimeout());
			AtomicBoolean started = new AtomicBoolean();
			this.waiting.incrementAndGet();
			return Mono.deferContextual(context -> Mono.fromCallable(() -> {
				started.set(true);
				this.waiting.decrementAndGet();
				this.running.incrementAndGet();
				try {
					return sdkCall.run(sdkOperation::call);
				}
				catch (Exception ex) {
					if (sdkCall.cancelled()) {
						// the caller already gave up (timeout); nobody is listening for this error
						return null;
					}
					// its log line names the request (the request's MDC is not this thread's)
					throw LogContext.get(context,
							() -> RazorpayErrors.map(operation, ex, sdkCall, this.properties.retryAfter()));
				}
				finally {
					this.running.decrementAndGet();
				}
			}))
				.subscribeOn(this.scheduler)
				.doOnCancel(sdkCall::cancel)
				.doFinally(signal -> {
					if (!started.get()) {
						this.waiting.decrementAndGet();
					}
				})
				.onErrorMap(RazorpayGateway::rejected, ex -> {
					log.debug("Gateway pool saturated: call refused");
					return this.calls.failure(Kind.SATURATED, ex);
				});
		}));
	}

	/** The bounded scheduler's refusal of one more task: every thread busy and the queue full. */
	private static boolean rejected(Throwable ex) {
		return ex instanceof RejectedExecutionException || Exceptions.unwrap(ex) instanceof RejectedExecutionException;
	}

	@FunctionalInterface
	interface SdkOperation<T> {

		T call() throws Exception;

	}

	/** Where the SDK's requests go: Razorpay, a configured compatible server, or the built-in sandbox. */
	record RazorpayMode(boolean sandbox, String keyId, String keySecret, String webhookSecret,
			Supplier<HttpUrl> apiBase) {

		@Override
		public String toString() {
			return "RazorpayMode[" + (this.sandbox ? "sandbox" : "live") + ", keyId="
					+ RazorpayProperties.mask(this.keyId) + "]";
		}

	}

}
