package com.tijorihq.tijori.gateway.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;

import com.tijorihq.tijori.common.Ids;
import com.tijorihq.tijori.gateway.Hmac;
import com.tijorihq.tijori.gateway.sandbox.SandboxDocuments.SandboxOrder;
import com.tijorihq.tijori.gateway.sandbox.SandboxDocuments.SandboxPayment;
import com.tijorihq.tijori.gateway.sandbox.SandboxDocuments.SandboxRefund;
import com.tijorihq.tijori.gateway.sandbox.SandboxWebhooks.Event;

/**
 * Razorpay's rules, as far as Tijori relies on them: orders of at least 100 paise, payments that authorise and
 * (auto-)capture, an order that is {@code paid} once captured payments cover it, refunds up to what was
 * captured, idempotent refunds by {@code X-Refund-Idempotency}. Concurrent changes use optimistic versions.
 */
class SandboxLedger {

	static final long MINIMUM_AMOUNT = 100;

	private static final Retry ON_CONFLICT = Retry.backoff(8, Duration.ofMillis(5))
		.filter(OptimisticLockingFailureException.class::isInstance);

	private final SandboxStore store;

	private final SandboxProperties properties;

	private final SandboxFaults faults;

	private final SandboxWebhooks webhooks;

	SandboxLedger(SandboxStore store, SandboxProperties properties, SandboxFaults faults, SandboxWebhooks webhooks) {
		this.store = store;
		this.properties = properties;
		this.faults = faults;
		this.webhooks = webhooks;
	}

	Mono<SandboxOrder> createOrder(JsonNode body) {
		long amount = amount(body, "amount", true);
		if (amount < MINIMUM_AMOUNT) {
			throw RazorpayApiException.badRequest("Order amount less than minimum amount allowed", "amount");
		}
		String currency = currency(body);
		String receipt = optionalText(body, "receipt");
		if (receipt != null && receipt.length() > 40) {
			throw RazorpayApiException.badRequest("The receipt may not be greater than 40 characters.", "receipt");
		}
		JsonNode capture = body.get("payment_capture");
		boolean autoCapture = capture == null || capture.isNull() || capture.asBoolean(true)
				|| (capture.isInt() && capture.asInt() == 1);
		SandboxOrder order = new SandboxOrder(id("order_"), amount, 0, currency, receipt, "created", 0, notes(body),
				autoCapture, now(), null);
		return this.store.insert(order);
	}

	Mono<SandboxOrder> order(String id) {
		return this.store.order(id).switchIfEmpty(Mono.error(RazorpayApiException::notFound));
	}

	Mono<SandboxPayment> payment(String id) {
		return this.store.payment(id).switchIfEmpty(Mono.error(RazorpayApiException::notFound));
	}

	Mono<SandboxRefund> refund(String id) {
		return this.store.refund(id).switchIfEmpty(Mono.error(RazorpayApiException::notFound));
	}

	/**
	 * Plays a buyer paying (or failing to pay) in Checkout: stores the payment, updates the order, queues the
	 * webhooks and returns what Checkout's handler would get.
	 */
	Mono<PayResult> pay(String orderId, boolean success, String method) {
		return order(orderId).flatMap(order -> {
			if ("paid".equals(order.status())) {
				return Mono.error(RazorpayApiException.badRequest("Order has already been paid", "order_id"));
			}
			long amount = this.faults.amountMismatch() ? order.amount() - 1 : order.amount();
			SandboxPayment payment = success
					? new SandboxPayment(id("pay_"), orderId, amount, order.currency(), "authorized", method, false,
							0, null, null, null, null, null, null, now(), null)
					: new SandboxPayment(id("pay_"), orderId, amount, order.currency(), "failed", method, false, 0,
							null, "BAD_REQUEST_ERROR", "Payment failed because the bank declined it (sandbox).",
							"bank", "payment_authorization", "payment_declined", now(), null);
			if (success && order.autoCapture()) {
				payment = payment.asCaptured();
			}
			SandboxPayment made = payment;
			return this.store.insert(made)
				.flatMap(stored -> updateOrder(orderId, current -> {
					SandboxOrder attempted = current.attempted();
					return stored.captured() ? attempted.paid(stored.amount()) : attempted;
				}).flatMap(updated -> this.webhooks.enqueue(events(stored, updated, true))
					.thenReturn(new PayResult(stored, updated, success
							? Hmac.sha256Hex(this.properties.keySecret(), orderId + "|" + stored.id()) : null))));
		});
	}

	/**
	 * Plays Razorpay's late authorisation: a payment that had failed is authorised after all (the bank confirmed
	 * late), and captured at once when {@code capture} says so (null: as the order's auto-capture setting says).
	 * The webhooks follow as for a payment.
	 */
	Mono<SandboxPayment> lateAuthorize(String paymentId, Boolean capture) {
		return payment(paymentId).flatMap(payment -> {
			if (!"failed".equals(payment.status())) {
				return Mono.error(RazorpayApiException.badRequest("Only a failed payment can be authorised late",
						"payment_id"));
			}
			return order(payment.orderId()).flatMap(order -> {
				SandboxPayment authorised = new SandboxPayment(payment.id(), payment.orderId(), payment.amount(),
						payment.currency(), "authorized", payment.method(), false, 0, null, null, null, null, null,
						null, payment.createdAt(), payment.version());
				boolean captureNow = (capture != null) ? capture : order.autoCapture();
				return this.store.save(captureNow ? authorised.asCaptured() : authorised)
					.flatMap(saved -> (saved.captured() ? updateOrder(order.id(), o -> o.paid(saved.amount()))
							: order(order.id()))
						.flatMap(updated -> this.webhooks.enqueue(events(saved, updated, true)).thenReturn(saved)));
			});
		});
	}

	Mono<SandboxPayment> capture(String paymentId, JsonNode body) {
		long amount = amount(body, "amount", true);
		String currency = currency(body);
		return payment(paymentId).flatMap(payment -> {
			if (payment.captured()) {
				return Mono.error(RazorpayApiException.badRequest("This payment has already been captured", null));
			}
			if (!"authorized".equals(payment.status())) {
				return Mono.error(RazorpayApiException
					.badRequest("Only payments which have been authorized and not yet captured can be captured", null));
			}
			if (amount != payment.amount() || !currency.equals(payment.currency())) {
				return Mono.error(RazorpayApiException
					.badRequest("Capture amount must be equal to the amount authorized", "amount"));
			}
			return this.store.save(payment.asCaptured())
				.flatMap(captured -> updateOrder(payment.orderId(), order -> order.paid(captured.amount()))
					.flatMap(order -> this.webhooks.enqueue(events(captured, order, false)).thenReturn(captured)));
		});
	}

	Mono<SandboxRefund> refund(String paymentId, JsonNode body, String idempotencyKey) {
		long requested = body.has("amount") ? amount(body, "amount", true) : -1;
		Map<String, String> notes = notes(body);
		String key = (idempotencyKey == null || idempotencyKey.isBlank()) ? null : paymentId + "|" + idempotencyKey;
		Mono<SandboxRefund> existing = (key != null)
				? this.store.refundByKey(key).flatMap(refund -> sameRefund(refund, requested)) : Mono.empty();
		return existing.switchIfEmpty(Mono.defer(() -> payment(paymentId).flatMap(payment -> {
			if (!payment.captured()) {
				return Mono.error(RazorpayApiException
					.badRequest("The payment has not been captured yet, so it cannot be refunded", "payment_id"));
			}
			long remaining = payment.amount() - payment.amountRefunded();
			long amount = (requested < 0) ? remaining : requested;
			if (amount < MINIMUM_AMOUNT) {
				return Mono.error(RazorpayApiException.badRequest("The amount must be atleast INR 1.00", "amount"));
			}
			if (amount > remaining) {
				return Mono.error(RazorpayApiException
					.badRequest("The refund amount provided is greater than amount captured", "amount"));
			}
			String id = id("rfnd_");
			boolean pending = this.faults.pendingRefunds();
			SandboxRefund refund = new SandboxRefund(id, paymentId, amount, payment.currency(),
					pending ? "pending" : "processed", (key != null) ? key : id, notes, now());
			return this.store.insert(refund)
				.flatMap(stored -> refundPayment(paymentId, amount)
					.onErrorResume(RazorpayApiException.class,
							ex -> this.store.deleteRefund(stored.id()).then(Mono.error(ex)))
					.flatMap(refunded -> this.webhooks
						.enqueue(pending ? List.of(new Event("refund.created", refundPayload(stored, refunded)))
								: List.of(new Event("refund.created", refundPayload(stored, refunded)),
										new Event("refund.processed", refundPayload(stored, refunded))))
						.thenReturn(stored)));
		})))
			.onErrorResume(DuplicateKeyException.class,
					ex -> this.store.refundByKey(key).flatMap(refund -> sameRefund(refund, requested)));
	}

	/**
	 * A repeated idempotency key is the same refund only for the same request; another amount under it is
	 * refused, and the key keeps meaning its first refund. No amount asks for "the rest", which the first
	 * request already took.
	 */
	private static Mono<SandboxRefund> sameRefund(SandboxRefund refund, long requested) {
		if (requested >= 0 && requested != refund.amount()) {
			return Mono.error(RazorpayApiException
				.badRequest("The idempotency key has already been used for a refund with different parameters", null));
		}
		return Mono.just(refund);
	}

	Mono<List<SandboxOrder>> orders(String receipt, int skip, int count) {
		return this.store.orders(receipt, skip, count).collectList();
	}

	Mono<List<SandboxPayment>> payments(long fromSecond, long toSecond, int skip, int count) {
		return this.store.payments(fromSecond, toSecond, skip, count).collectList();
	}

	Mono<List<SandboxPayment>> orderPayments(String orderId) {
		return order(orderId).flatMap(order -> this.store.payments(orderId).collectList());
	}

	/**
	 * The bank pays every pending refund: each becomes {@code processed} (and its {@code refund.processed} webhook
	 * is queued). The money already left the payment's refundable amount when the refund was created.
	 */
	Mono<Long> processPendingRefunds() {
		return this.store.pendingRefunds()
			.concatMap(refund -> this.store.settleRefund(refund.id(), "processed")
				.flatMap(processed -> payment(processed.paymentId())
					.flatMap(payment -> this.webhooks
						.enqueue(List.of(new Event("refund.processed", refundPayload(processed, payment)))))
					.thenReturn(processed)))
			.count();
	}

	Mono<List<SandboxRefund>> paymentRefunds(String paymentId) {
		return payment(paymentId).flatMap(payment -> this.store.refunds(paymentId).collectList());
	}

	private Mono<SandboxPayment> refundPayment(String paymentId, long amount) {
		return Mono.defer(() -> payment(paymentId).flatMap(payment -> {
			if (payment.amount() - payment.amountRefunded() < amount) {
				return Mono.error(RazorpayApiException
					.badRequest("The refund amount provided is greater than amount captured", "amount"));
			}
			return this.store.save(payment.withRefund(amount));
		})).retryWhen(ON_CONFLICT);
	}

	private Mono<SandboxOrder> updateOrder(String orderId, java.util.function.UnaryOperator<SandboxOrder> change) {
		return Mono.defer(() -> order(orderId).flatMap(order -> this.store.save(change.apply(order))))
			.retryWhen(ON_CONFLICT);
	}

	/** The webhooks Razorpay sends for a payment event, in the order it sends them. */
	private static List<Event> events(SandboxPayment payment, SandboxOrder order, boolean authorised) {
		List<Event> events = new ArrayList<>();
		Map<String, Object> paymentOnly = Map.of("payment", Map.of("entity", RazorpayJson.payment(payment)));
		if ("failed".equals(payment.status())) {
			events.add(new Event("payment.failed", paymentOnly));
			return events;
		}
		if (authorised) {
			SandboxPayment asAuthorised = new SandboxPayment(payment.id(), payment.orderId(), payment.amount(),
					payment.currency(), "authorized", payment.method(), false, 0, null, null, null, null, null, null,
					payment.createdAt(), payment.version());
			events.add(new Event("payment.authorized",
					Map.of("payment", Map.of("entity", RazorpayJson.payment(asAuthorised)))));
		}
		if (payment.captured()) {
			events.add(new Event("payment.captured", paymentOnly));
			if ("paid".equals(order.status())) {
				Map<String, Object> both = new LinkedHashMap<>();
				both.put("payment", Map.of("entity", RazorpayJson.payment(payment)));
				both.put("order", Map.of("entity", RazorpayJson.order(order)));
				events.add(new Event("order.paid", both));
			}
		}
		return events;
	}

	private static Map<String, Object> refundPayload(SandboxRefund refund, SandboxPayment payment) {
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("refund", Map.of("entity", RazorpayJson.refund(refund)));
		payload.put("payment", Map.of("entity", RazorpayJson.payment(payment)));
		return payload;
	}

	private static long amount(JsonNode body, String field, boolean required) {
		JsonNode node = body.get(field);
		if (node == null || node.isNull()) {
			if (required) {
				throw RazorpayApiException.badRequest("The " + field + " field is required.", field);
			}
			return -1;
		}
		if (!node.isIntegralNumber() || !node.canConvertToLong()) {
			throw RazorpayApiException.badRequest("The " + field + " must be an integer.", field);
		}
		return node.asLong();
	}

	private static String currency(JsonNode body) {
		String currency = optionalText(body, "currency");
		if (currency == null) {
			throw RazorpayApiException.badRequest("The currency field is required.", "currency");
		}
		try {
			Currency.getInstance(currency);
		}
		catch (IllegalArgumentException ex) {
			throw RazorpayApiException.badRequest("The currency is invalid.", "currency");
		}
		return currency;
	}

	private static String optionalText(JsonNode body, String field) {
		JsonNode node = body.get(field);
		if (node == null || node.isNull()) {
			return null;
		}
		if (!node.isTextual()) {
			throw RazorpayApiException.badRequest("The " + field + " must be a string.", field);
		}
		return node.asText();
	}

	private static Map<String, String> notes(JsonNode body) {
		JsonNode notes = body.get("notes");
		Map<String, String> result = new LinkedHashMap<>();
		if (notes == null || notes.isNull() || (notes.isArray() && notes.isEmpty())) {
			return result;
		}
		if (!notes.isObject() || notes.size() > 15) {
			throw RazorpayApiException.badRequest("notes must be an object of at most 15 keys", "notes");
		}
		notes.fields().forEachRemaining(entry -> {
			if (!entry.getValue().isValueNode() || entry.getValue().asText().length() > 256) {
				throw RazorpayApiException.badRequest("notes values must be text of at most 256 characters", "notes");
			}
			result.put(entry.getKey(), entry.getValue().asText());
		});
		return result;
	}

	private static String id(String prefix) {
		return prefix + Ids.random(14);
	}

	private static long now() {
		return Instant.now().getEpochSecond();
	}

	record PayResult(SandboxPayment payment, SandboxOrder order, String signature) {
	}

}
