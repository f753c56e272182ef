package com.tijorihq.tijori.gateway.sandbox.paytm;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import com.tijorihq.tijori.common.Money;
import com.tijorihq.tijori.common.RequestBodies;
import com.tijorihq.tijori.common.TijoriException;
import com.tijorihq.tijori.gateway.DecimalAmounts;
import com.tijorihq.tijori.gateway.paytm.PaytmChecksum;
import com.tijorihq.tijori.gateway.paytm.PaytmEnvelope;
import com.tijorihq.tijori.gateway.sandbox.SandboxPages;
import com.tijorihq.tijori.gateway.sandbox.paytm.PaytmSandboxDocuments.PaytmOrder;
import com.tijorihq.tijori.gateway.sandbox.paytm.PaytmSandboxDocuments.PaytmRefund;
import com.tijorihq.tijori.gateway.sandbox.paytm.PaytmSandboxLedger.Paid;
import com.tijorihq.tijori.gateway.sandbox.paytm.PaytmSandboxLedger.PayRefusedException;

import static com.tijorihq.tijori.gateway.sandbox.SandboxPages.html;
import static com.tijorihq.tijori.gateway.sandbox.paytm.PaytmSandboxDocuments.CREATED;

/**
 * HTTP side of the Paytm sandbox. Its APIs speak Paytm's wire format: {@code {"head":{"signature"},"body"}} in,
 * the signature verified over the {@code body} text exactly as received; {@code {"head","body":{"resultInfo"}}}
 * out, refusals included (HTTP 200, as Paytm). {@code /checkout} and {@code /pay} play the hosted checkout;
 * {@code /pay} with JSON is the sandbox's own automation endpoint and answers in Tijori's style.
 */
class PaytmSandboxHandler {

	private static final Pattern ORDER_ID = Pattern.compile("[A-Za-z0-9_@.-]{1,50}");

	private final PaytmSandboxLedger ledger;

	private final PaytmSandboxProperties properties;

	private final ObjectMapper json;

	private final RequestBodies bodies;

	PaytmSandboxHandler(PaytmSandboxLedger ledger, PaytmSandboxProperties properties, ObjectMapper json,
			RequestBodies bodies) {
		this.ledger = ledger;
		this.properties = properties;
		this.json = json;
		this.bodies = bodies;
		// loads the JCA providers on the start-up thread rather than on an event loop
		PaytmChecksum.verify("warm-up", properties.merchantKey(),
				PaytmChecksum.generate("warm-up", properties.merchantKey()));
	}

	// ---- Paytm's APIs ----------------------------------------------------------------------------------------

	/** {@code POST /theia/api/v1/initiateTransaction?mid=&orderId=}. */
	Mono<ServerResponse> initiate(ServerRequest request) {
		return api(request, body -> {
			String orderId = text(body, "orderId");
			if (!request.queryParam("mid").map(this.properties.mid()::equals).orElse(false)) {
				throw new PaytmApiException("F", "2013", "Mid in the query param doesn't match with the Mid send in "
						+ "the request");
			}
			if (!request.queryParam("orderId").map(orderId::equals).orElse(false)) {
				throw new PaytmApiException("F", "2014", "OrderId in the query param doesn't match with the OrderId "
						+ "send in the request");
			}
			if (!"Payment".equals(text(body, "requestType"))) {
				throw PaytmApiException.badRequest("requestType");
			}
			if (!ORDER_ID.matcher(orderId).matches()) {
				throw PaytmApiException.badRequest("orderId");
			}
			String callbackUrl = text(body, "callbackUrl");
			if (!validCallback(callbackUrl)) {
				throw PaytmApiException.badRequest("callbackUrl");
			}
			String currency = text(body.path("txnAmount"), "currency");
			if (!"INR".equals(currency)) {
				throw PaytmApiException.badRequest("txnAmount.currency");
			}
			long amount = paise(text(body.path("txnAmount"), "value"), "txnAmount.value");
			if (amount <= 0) {
				throw PaytmApiException.badRequest("txnAmount.value");
			}
			String custId = text(body.path("userInfo"), "custId");
			if (custId.isBlank()) {
				throw PaytmApiException.badRequest("userInfo.custId");
			}
			return this.ledger.initiate(orderId, amount, currency, callbackUrl, custId, text(body, "websiteName"))
				.map(initiated -> {
					if (initiated.refusalCode() != null) {
						throw new PaytmApiException("F", initiated.refusalCode(), initiated.refusalMessage());
					}
					Map<String, Object> answer = new LinkedHashMap<>();
					answer.put("resultInfo", initiated.repeated() ? resultInfo("S", "0002", "Success Idempotent")
							: resultInfo("S", "0000", "Success"));
					answer.put("txnToken", initiated.order().txnToken());
					answer.put("isPromoCodeValid", false);
					answer.put("authenticated", false);
					return answer;
				});
		});
	}

	/** {@code POST /v3/order/status}. */
	Mono<ServerResponse> orderStatus(ServerRequest request) {
		return api(request, body -> {
			String orderId = text(body, "orderId");
			return this.ledger.order(orderId).map(this::status).defaultIfEmpty(Map.of("resultInfo",
					resultInfo("TXN_FAILURE", "334", "Invalid Order Id."), "orderId", orderId, "mid",
					this.properties.mid()));
		});
	}

	/** {@code POST /refund/apply}: processed at once; idempotent per {@code refId}. */
	Mono<ServerResponse> refund(ServerRequest request) {
		return api(request, body -> {
			if (!"REFUND".equals(text(body, "txnType"))) {
				throw PaytmApiException.badRequest("txnType");
			}
			String refId = text(body, "refId");
			if (!ORDER_ID.matcher(refId).matches()) {
				throw PaytmApiException.badRequest("refId");
			}
			String orderId = text(body, "orderId");
			String txnId = text(body, "txnId");
			long amount = paise(text(body, "refundAmount"), "refundAmount");
			if (amount <= 0 || orderId.isBlank() || txnId.isBlank()) {
				throw PaytmApiException.badRequest("orderId, txnId and a positive refundAmount");
			}
			return this.ledger.refund(refId, orderId, txnId, amount).map(this::refundBody);
		});
	}

	/** {@code POST /v2/refund/status}. */
	Mono<ServerResponse> refundStatus(ServerRequest request) {
		return api(request, body -> {
			String orderId = text(body, "orderId");
			String refId = text(body, "refId");
			return this.ledger.findRefund(refId)
				.filter(refund -> refund.orderId().equals(orderId) && refund.refundId() != null)
				.map(this::refundBody)
				.defaultIfEmpty(Map.of("resultInfo", resultInfo("TXN_FAILURE", "631", "Record not found"), "orderId",
						orderId, "refId", refId, "mid", this.properties.mid()));
		});
	}

	// ---- the hosted checkout ---------------------------------------------------------------------------------

	/** {@code GET /checkout?mid=&orderId=&txnToken=}: what Paytm's JS checkout would open. */
	Mono<ServerResponse> checkout(ServerRequest request) {
		String mid = request.queryParam("mid").orElse("");
		String orderId = request.queryParam("orderId").orElse("");
		String token = request.queryParam("txnToken").orElse("");
		if (!this.properties.mid().equals(mid)) {
			return html(HttpStatus.BAD_REQUEST, PaytmSandboxPages.error("Unknown merchant", "No merchant " + mid + "."),
					null);
		}
		return this.ledger.order(orderId).flatMap(order -> {
			if (!CREATED.equals(order.status())) {
				return html(HttpStatus.CONFLICT, PaytmSandboxPages.error("Already paid",
						"Order " + orderId + " has been paid or failed already."), null);
			}
			if (!this.ledger.validToken(order, token, Instant.now())) {
				return html(HttpStatus.BAD_REQUEST, PaytmSandboxPages.error("Session expired",
						"This payment link is invalid, used or expired."), null);
			}
			return html(HttpStatus.OK, PaytmSandboxPages.checkout(order), null);
		})
			.switchIfEmpty(Mono.defer(() -> html(HttpStatus.NOT_FOUND,
					PaytmSandboxPages.error("No such order", "Order " + orderId + " does not exist."), null)));
	}

	/**
	 * {@code POST /pay}: the checkout page's form (answers the auto-submitting callback form, as Paytm does), or
	 * JSON for tests and automation (answers the callback URL and the exact signed fields).
	 */
	Mono<ServerResponse> pay(ServerRequest request) {
		boolean form = request.headers()
			.contentType()
			.filter(MediaType.APPLICATION_FORM_URLENCODED::isCompatibleWith)
			.isPresent();
		return form ? payFromPage(request) : payJson(request);
	}

	private Mono<ServerResponse> payFromPage(ServerRequest request) {
		return request.formData().flatMap(data -> {
			String mid = first(data, "mid");
			String orderId = first(data, "orderId");
			String token = first(data, "txnToken");
			String outcome = first(data, "outcome");
			if (!this.properties.mid().equals(mid) || orderId.isEmpty() || token.isEmpty()
					|| !(outcome.equals("success") || outcome.equals("failure"))) {
				return html(HttpStatus.BAD_REQUEST, PaytmSandboxPages.error("Invalid request",
						"The payment form is incomplete."), null);
			}
			return this.ledger.pay(orderId, outcome.equals("success"), token, null)
				.flatMap(paid -> html(HttpStatus.OK,
						PaytmSandboxPages.callbackForm(paid.order().callbackUrl(), paid.fields()),
						paid.order().callbackUrl()))
				.onErrorResume(PayRefusedException.class, ex -> switch (ex.refusal) {
					case NO_SUCH_ORDER -> html(HttpStatus.NOT_FOUND,
							PaytmSandboxPages.error("No such order", "Order " + orderId + " does not exist."), null);
					case ALREADY_PAID -> html(HttpStatus.CONFLICT,
							PaytmSandboxPages.error("Already paid", "Order " + orderId + " was paid or failed already."),
							null);
					case BAD_TOKEN -> html(HttpStatus.BAD_REQUEST,
							PaytmSandboxPages.error("Session expired", "This payment link is invalid, used or expired."),
							null);
				});
		});
	}

	private Mono<ServerResponse> payJson(ServerRequest request) {
		return this.bodies.read(request, PaytmSandboxPayRequest.class).flatMap(body -> {
			Long override = null;
			if (body.amount() != null) {
				try {
					override = DecimalAmounts.parse(body.amount(), "INR").amount();
				}
				catch (IllegalArgumentException | ArithmeticException ex) {
					return Mono.error(TijoriException.invalid("amount", "must be a rupee amount such as 499.00"));
				}
			}
			return this.ledger.pay(body.orderId(), "success".equals(body.outcome()), body.txnToken(), override);
		}).onErrorMap(PayRefusedException.class, ex -> switch (ex.refusal) {
			case NO_SUCH_ORDER -> TijoriException.notFound("Sandbox order");
			case ALREADY_PAID -> TijoriException.conflict("sandbox_order_paid",
					"This sandbox order was paid or failed already.");
			case BAD_TOKEN -> TijoriException.badRequest("invalid_txn_token",
					"The txnToken is not this order's, was used, or expired.");
		}).flatMap(paid -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(payResult(paid)));
	}

	private static Map<String, Object> payResult(Paid paid) {
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("callbackUrl", paid.order().callbackUrl());
		result.put("fields", paid.fields());
		return result;
	}

	/**
	 * {@code POST /sandbox/paytm/pay} as JSON.
	 *
	 * @param amount the amount the sandbox records and reports instead of the order's ({@code "499.00"}): the
	 *        stand-in for an amount mismatch
	 * @param txnToken checked when given (the page always sends it)
	 */
	record PaytmSandboxPayRequest(@NotBlank String orderId,
			@NotNull @jakarta.validation.constraints.Pattern(regexp = "success|failure",
					message = "must be success or failure") String outcome,
			String amount, String txnToken) {
	}

	// ---- wire format -----------------------------------------------------------------------------------------

	/** Reads the signed request, verifies it, runs {@code work} on the body and answers in Paytm's shape. */
	private Mono<ServerResponse> api(ServerRequest request, Function<JsonNode, Mono<Map<String, Object>>> work) {
		return request.bodyToMono(byte[].class)
			.defaultIfEmpty(new byte[0])
			.flatMap(raw -> {
				Signed signed = signed(new String(raw, StandardCharsets.UTF_8));
				if (!PaytmChecksum.verify(signed.bodyText(), this.properties.merchantKey(), signed.signature())) {
					throw PaytmApiException.invalidChecksum();
				}
				if (!this.properties.mid().equals(text(signed.body(), "mid"))) {
					throw new PaytmApiException("F", "2013", "Invalid mid");
				}
				return work.apply(signed.body());
			})
			.onErrorResume(PaytmApiException.class,
					ex -> Mono.just(Map.of("resultInfo", resultInfo(ex.resultStatus, ex.resultCode, ex.getMessage()))))
			.flatMap(this::respond);
	}

	/** A request as received: the head's signature, and the {@code body} member's exact text and tree. */
	record Signed(String signature, String bodyText, JsonNode body) {
	}

	/**
	 * Splits {@code {"head":{…},"body":{…}}} without re-serialising anything: the body's text is cut out of the
	 * request by the streaming parser's character offsets, since the signature covers those exact characters.
	 */
	Signed signed(String text) {
		PaytmEnvelope envelope;
		try {
			envelope = PaytmEnvelope.parse(this.json.getFactory(), text);
		}
		catch (IllegalArgumentException ex) {
			throw PaytmApiException.badRequest(ex.getMessage());
		}
		String signature = envelope.signature();
		String bodyText = envelope.bodyText();
		if (signature == null) {
			throw PaytmApiException.invalidChecksum();
		}
		try {
			return new Signed(signature, bodyText, this.json.readTree(bodyText));
		}
		catch (JsonProcessingException ex) {
			throw PaytmApiException.badRequest("malformed JSON");
		}
	}

	/** Paytm's response: the head signed over the body's text, as Paytm signs its answers. */
	private Mono<ServerResponse> respond(Map<String, Object> body) {
		String bodyJson;
		try {
			bodyJson = this.json.writeValueAsString(body);
		}
		catch (JsonProcessingException ex) {
			return Mono.error(ex);
		}
		String head = "{\"responseTimestamp\":\"" + System.currentTimeMillis() + "\",\"version\":\"v1\",\"signature\":\""
				+ PaytmChecksum.generate(bodyJson, this.properties.merchantKey()) + "\"}";
		return ServerResponse.ok()
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"head\":" + head + ",\"body\":" + bodyJson + "}");
	}

	private Map<String, Object> status(PaytmOrder order) {
		Map<String, Object> body = new LinkedHashMap<>();
		if (CREATED.equals(order.status())) {
			body.put("resultInfo", resultInfo("PENDING", "402",
					"Looks like the payment is not complete. Please wait while we confirm the status with your bank."));
			body.put("orderId", order.id());
			body.put("mid", order.mid());
			body.put("txnAmount", DecimalAmounts.format(new Money(order.amount(), order.currency())));
			return body;
		}
		body.put("resultInfo", resultInfo(order.status(), order.respCode(), order.respMsg()));
		body.put("txnId", order.txnId());
		body.put("bankTxnId", order.bankTxnId());
		body.put("orderId", order.id());
		body.put("txnAmount", DecimalAmounts.format(new Money(order.txnAmount(), order.currency())));
		body.put("txnType", "SALE");
		body.put("gatewayName", "TSBX");
		body.put("bankName", "Tijori Sandbox Bank");
		body.put("mid", order.mid());
		body.put("paymentMode", order.paymentMode());
		body.put("refundAmt", DecimalAmounts.format(new Money(order.refundedAmount(), order.currency())));
		body.put("txnDate", order.txnDate());
		return body;
	}

	private Map<String, Object> refundBody(PaytmRefund refund) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("txnTimestamp", refund.createdAt().toString());
		body.put("orderId", refund.orderId());
		body.put("mid", this.properties.mid());
		body.put("refId", refund.refId());
		body.put("resultInfo", resultInfo(refund.status(), refund.resultCode(), refund.resultMsg()));
		if (refund.refundId() != null) {
			body.put("refundId", refund.refundId());
		}
		body.put("txnId", refund.txnId());
		body.put("refundAmount", DecimalAmounts.format(new Money(refund.amount(), "INR")));
		return body;
	}

	private static Map<String, Object> resultInfo(String status, String code, String message) {
		Map<String, Object> info = new LinkedHashMap<>();
		info.put("resultStatus", status);
		info.put("resultCode", code);
		info.put("resultMsg", message);
		return info;
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node.path(field);
		return value.isTextual() ? value.asText() : "";
	}

	private static long paise(String value, String field) {
		try {
			return DecimalAmounts.parse(value, "INR").amount();
		}
		catch (IllegalArgumentException | ArithmeticException ex) {
			throw PaytmApiException.badRequest(field);
		}
	}

	/** A path on this site, or an http(s) URL (a merchant with TIJORI_PUBLIC_URL set). */
	private static boolean validCallback(String url) {
		if (url.startsWith("/")) {
			return !url.startsWith("//") && !url.contains("\\");
		}
		return url.startsWith("https://") || url.startsWith("http://");
	}

	private static String first(MultiValueMap<String, String> data, String name) {
		String value = data.getFirst(name);
		return (value == null) ? "" : value;
	}


}
