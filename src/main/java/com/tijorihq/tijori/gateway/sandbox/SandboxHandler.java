package com.tijorihq.tijori.gateway.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;

import com.tijorihq.tijori.common.RequestBodies;
import com.tijorihq.tijori.common.TijoriException;
import com.tijorihq.tijori.gateway.sandbox.SandboxLedger.PayResult;

/**
 * HTTP side of the sandbox. The {@code /v1} API answers exactly like Razorpay (Basic auth, Razorpay JSON and
 * error bodies, faults applied); {@code /pay}, {@code /checkout} and {@code /_faults} are the sandbox's own and
 * answer in Tijori's style (problem+json errors).
 */
class SandboxHandler {

	private static final Logger log = LoggerFactory.getLogger(SandboxHandler.class);

	private final SandboxLedger ledger;

	private final SandboxFaults faults;

	private final SandboxProperties properties;

	private final RequestBodies bodies;

	private final SandboxCheckoutPage checkoutPage;

	SandboxHandler(SandboxLedger ledger, SandboxFaults faults, SandboxProperties properties, RequestBodies bodies) {
		this.ledger = ledger;
		this.faults = faults;
		this.properties = properties;
		this.bodies = bodies;
		this.checkoutPage = new SandboxCheckoutPage(properties.keyId());
	}

	// ---- Razorpay REST API (/v1) -----------------------------------------------------------------------------

	/** Filter around every {@code /v1} call: authentication, injected faults, Razorpay-shaped errors. */
	Mono<ServerResponse> api(ServerRequest request, HandlerFunction<ServerResponse> next) {
		if (!authenticated(request)) {
			return razorpayError(new RazorpayApiException(HttpStatus.UNAUTHORIZED, "BAD_REQUEST_ERROR",
					"Authentication failed", null, "authentication_failed"));
		}
		if (this.faults.hang()) {
			return Mono.never();
		}
		Mono<ServerResponse> answer = Mono.defer(() -> {
			if (ThreadLocalRandom.current().nextDouble() < this.faults.errorRate()) {
				return razorpayError(new RazorpayApiException(HttpStatus.INTERNAL_SERVER_ERROR, "SERVER_ERROR",
						"The server encountered an error. The incident has been reported to admins.", null,
						"server_error"));
			}
			return next.handle(request);
		}).onErrorResume(this::toRazorpayError);
		if (this.faults.latency().toMillis() <= 0) {
			return answer;
		}
		// the latency fault is the gateway's whole response time, its own work included, as a real gateway's is
		Mono<ServerResponse> work = answer.cache();
		return Mono.when(work, Mono.delay(this.faults.latency())).then(work);
	}

	Mono<ServerResponse> createOrder(ServerRequest request) {
		return json(request).flatMap(this.ledger::createOrder).flatMap(order -> ok(RazorpayJson.order(order)));
	}

	Mono<ServerResponse> listOrders(ServerRequest request) {
		String receipt = request.queryParam("receipt").orElse(null);
		int count = intParam(request, "count", 10, 1, 100);
		int skip = intParam(request, "skip", 0, 0, Integer.MAX_VALUE);
		return this.ledger.orders(receipt, skip, count)
			.flatMap(orders -> ok(RazorpayJson.collection(orders.stream().map(RazorpayJson::order).toList())));
	}

	/** Razorpay's {@code GET /payments}: newest first, {@code from}/{@code to} Unix seconds, both inclusive. */
	Mono<ServerResponse> listPayments(ServerRequest request) {
		long from = longParam(request, "from", 0);
		long to = longParam(request, "to", Long.MAX_VALUE);
		int count = intParam(request, "count", 10, 1, 100);
		int skip = intParam(request, "skip", 0, 0, Integer.MAX_VALUE);
		return this.ledger.payments(from, to, skip, count)
			.flatMap(payments -> ok(RazorpayJson.collection(payments.stream().map(RazorpayJson::payment).toList())));
	}

	Mono<ServerResponse> order(ServerRequest request) {
		return this.ledger.order(request.pathVariable("id")).flatMap(order -> ok(RazorpayJson.order(order)));
	}

	Mono<ServerResponse> orderPayments(ServerRequest request) {
		return this.ledger.orderPayments(request.pathVariable("id"))
			.flatMap(payments -> ok(RazorpayJson.collection(payments.stream().map(RazorpayJson::payment).toList())));
	}

	Mono<ServerResponse> payment(ServerRequest request) {
		return this.ledger.payment(request.pathVariable("id")).flatMap(payment -> ok(RazorpayJson.payment(payment)));
	}

	Mono<ServerResponse> capture(ServerRequest request) {
		return json(request).flatMap(body -> this.ledger.capture(request.pathVariable("id"), body))
			.flatMap(payment -> ok(RazorpayJson.payment(payment)));
	}

	Mono<ServerResponse> refund(ServerRequest request) {
		String key = request.headers().firstHeader("X-Refund-Idempotency");
		return json(request).flatMap(body -> this.ledger.refund(request.pathVariable("id"), body, key))
			.flatMap(refund -> this.faults.loseRefundAnswers() ? razorpayError(lostAnswer())
					: ok(RazorpayJson.refund(refund)));
	}

	Mono<ServerResponse> paymentRefunds(ServerRequest request) {
		return this.ledger.paymentRefunds(request.pathVariable("id"))
			.flatMap(refunds -> ok(RazorpayJson.collection(refunds.stream().map(RazorpayJson::refund).toList())));
	}

	Mono<ServerResponse> refundById(ServerRequest request) {
		return this.ledger.refund(request.pathVariable("id")).flatMap(refund -> ok(RazorpayJson.refund(refund)));
	}

	Mono<ServerResponse> unknownEndpoint(ServerRequest request) {
		return razorpayError(new RazorpayApiException(HttpStatus.NOT_FOUND, "BAD_REQUEST_ERROR",
				"The requested URL was not found on the server.", null, "url_not_found"));
	}

	// ---- the sandbox's own endpoints -------------------------------------------------------------------------

	/** Plays Razorpay Checkout: the buyer pays or fails; returns what Checkout's handler would receive. */
	Mono<ServerResponse> pay(ServerRequest request) {
		return this.bodies.read(request, PayRequest.class)
			.flatMap(body -> this.ledger.pay(body.orderId(), "success".equals(body.outcome()),
					body.method() == null ? "card" : body.method()))
			.onErrorMap(RazorpayApiException.class, SandboxHandler::asTijori)
			.flatMap(result -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(payResult(result)));
	}

	/** Makes a failed payment authorised (and captured) late, as Razorpay may up to three days later. */
	Mono<ServerResponse> lateAuthorization(ServerRequest request) {
		return this.bodies.read(request, LateAuthorizationRequest.class)
			.flatMap(body -> this.ledger.lateAuthorize(body.paymentId(), body.capture()))
			.onErrorMap(RazorpayApiException.class, ex -> "id".equals(ex.field())
					? TijoriException.notFound("Sandbox payment") : TijoriException.conflict("sandbox_payment_not_failed",
							ex.getMessage()))
			.flatMap(payment -> ok(RazorpayJson.payment(payment)));
	}

	/** {@code POST /sandbox/razorpay/_process_refunds}: the bank pays every pending refund. */
	Mono<ServerResponse> processRefunds(ServerRequest request) {
		return this.ledger.processPendingRefunds()
			.flatMap(count -> ServerResponse.ok().bodyValue(Map.of("processed", count)));
	}

	Mono<ServerResponse> checkout(ServerRequest request) {
		String orderId = request.queryParam("order_id").orElse("");
		String callback = request.queryParam("callback_url").filter(SandboxHandler::isLocalPath).orElse(null);
		return this.ledger.order(orderId)
			.flatMap(order -> html(HttpStatus.OK, this.checkoutPage.render(order, callback)))
			.onErrorResume(RazorpayApiException.class,
					ex -> html(HttpStatus.NOT_FOUND, this.checkoutPage.notFound(orderId)));
	}

	Mono<ServerResponse> faults(ServerRequest request) {
		return ServerResponse.ok().bodyValue(this.faults.snapshot());
	}

	Mono<ServerResponse> updateFaults(ServerRequest request) {
		return this.bodies.read(request, SandboxFaults.Snapshot.Update.class).flatMap(update -> {
			this.faults.apply(update);
			log.info("Sandbox faults now {}", this.faults.snapshot());
			return ServerResponse.ok().bodyValue(this.faults.snapshot());
		});
	}

	Mono<ServerResponse> resetFaults(ServerRequest request) {
		this.faults.reset();
		log.info("Sandbox faults reset to {}", this.faults.snapshot());
		return ServerResponse.ok().bodyValue(this.faults.snapshot());
	}

	// ---- helpers ---------------------------------------------------------------------------------------------

	private boolean authenticated(ServerRequest request) {
		String header = request.headers().firstHeader(HttpHeaders.AUTHORIZATION);
		if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
			return false;
		}
		String decoded;
		try {
			decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
		int colon = decoded.indexOf(':');
		if (colon < 0) {
			return false;
		}
		boolean id = MessageDigest.isEqual(decoded.substring(0, colon).getBytes(StandardCharsets.UTF_8),
				this.properties.keyId().getBytes(StandardCharsets.UTF_8));
		boolean secret = MessageDigest.isEqual(decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8),
				this.properties.keySecret().getBytes(StandardCharsets.UTF_8));
		return id & secret;
	}

	private Mono<JsonNode> json(ServerRequest request) {
		return request.bodyToMono(JsonNode.class)
			.switchIfEmpty(Mono.error(() -> RazorpayApiException.badRequest("The request body is required.", null)))
			.flatMap(node -> node.isObject() ? Mono.just(node)
					: Mono.error(RazorpayApiException.badRequest("The request body must be a JSON object.", null)));
	}

	private Mono<ServerResponse> toRazorpayError(Throwable ex) {
		if (ex instanceof RazorpayApiException razorpay) {
			return razorpayError(razorpay);
		}
		if (ex instanceof ServerWebInputException || ex instanceof UnsupportedMediaTypeStatusException) {
			return razorpayError(RazorpayApiException.badRequest("The request body is not valid JSON.", null));
		}
		log.warn("Sandbox API failed", ex);
		return razorpayError(new RazorpayApiException(HttpStatus.INTERNAL_SERVER_ERROR, "SERVER_ERROR",
				"The server encountered an error. The incident has been reported to admins.", null, "server_error"));
	}

	/** The refund is made; its answer is lost on the way, as a proxy timing out would report it. */
	private static RazorpayApiException lostAnswer() {
		return new RazorpayApiException(HttpStatus.GATEWAY_TIMEOUT, "SERVER_ERROR",
				"The server did not answer in time (sandbox: refund answer lost).", null, "server_error");
	}

	private static Mono<ServerResponse> razorpayError(RazorpayApiException ex) {
		return ServerResponse.status(ex.status())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(RazorpayJson.error(ex));
	}

	private static Mono<ServerResponse> ok(Map<String, Object> body) {
		return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(body);
	}

	private static Mono<ServerResponse> html(HttpStatus status, String body) {
		return ServerResponse.status(status)
			.contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
			.header("Cache-Control", "no-store")
			.header("Content-Security-Policy", SandboxCheckoutPage.CSP)
			.bodyValue(body);
	}

	private static int intParam(ServerRequest request, String name, int fallback, int min, int max) {
		List<String> values = request.queryParams().get(name);
		if (values == null || values.isEmpty()) {
			return fallback;
		}
		try {
			int value = Integer.parseInt(values.get(0));
			if (value >= min && value <= max) {
				return value;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw RazorpayApiException.badRequest("The " + name + " must be an integer from " + min + " to " + max, name);
	}

	private static long longParam(ServerRequest request, String name, long fallback) {
		List<String> values = request.queryParams().get(name);
		if (values == null || values.isEmpty()) {
			return fallback;
		}
		try {
			long value = Long.parseLong(values.get(0));
			if (value >= 0) {
				return value;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw RazorpayApiException.badRequest("The " + name + " must be a Unix timestamp", name);
	}

	private static boolean isLocalPath(String url) {
		return url.startsWith("/") && !url.startsWith("//") && !url.contains("\\");
	}

	private static TijoriException asTijori(RazorpayApiException ex) {
		if ("id".equals(ex.field())) {
			return TijoriException.notFound("Sandbox order");
		}
		return TijoriException.conflict("sandbox_order_paid", ex.getMessage());
	}

	private static Map<String, Object> payResult(PayResult result) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("razorpay_payment_id", result.payment().id());
		json.put("razorpay_order_id", result.order().id());
		if (result.signature() != null) {
			json.put("razorpay_signature", result.signature());
		}
		else {
			Map<String, Object> error = new LinkedHashMap<>();
			error.put("code", result.payment().errorCode());
			error.put("description", result.payment().errorDescription());
			error.put("source", result.payment().errorSource());
			error.put("step", result.payment().errorStep());
			error.put("reason", result.payment().errorReason());
			error.put("metadata", Map.of("order_id", result.order().id(), "payment_id", result.payment().id()));
			json.put("error", error);
		}
		return json;
	}

	/** {@code POST /sandbox/razorpay/_late_authorization}. */
	record LateAuthorizationRequest(@JsonProperty("payment_id") @NotBlank String paymentId, Boolean capture) {
	}

	/** {@code POST /sandbox/razorpay/pay}. */
	record PayRequest(@JsonProperty("order_id") @NotBlank String orderId,
			@NotNull @Pattern(regexp = "success|failure", message = "must be success or failure") String outcome,
			@Pattern(regexp = "card|upi|netbanking|wallet", message = "must be card, upi, netbanking or wallet") String method) {
	}

}
