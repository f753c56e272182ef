package com.tijorihq.tijori.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoDatabase;
import org.bson.Document;
import reactor.core.publisher.Flux;

import com.tijorihq.tijori.checkout.OrderStateMachine;
import com.tijorihq.tijori.checkout.OrderStatus;

/**
 * The books at the end of a run, from both sides: Tijori's through its admin API (orders with attempts, payments,
 * refunds), its {@code order_events} and the Idempotency-Keys its orders hold; the gateways' from the sandboxes'
 * own collections (what they really captured and refunded). {@link #violations} checks the money invariants and
 * names every order that breaks one.
 */
final class Books {

	private static final Set<String> PAID = Set.of("paid", "partially_refunded", "refunded");

	/** A payment as the gateway knows it: captured (money taken) and what it paid back. */
	record GatewayPayment(String gateway, String id, String gatewayOrderId, long amount, boolean captured,
			long refunded) {
	}

	final List<JsonNode> orders = new ArrayList<>();

	final List<GatewayPayment> gatewayPayments = new ArrayList<>();

	final Map<String, List<String>> razorpayOrdersByReceipt = new HashMap<>();

	final Map<String, List<Document>> eventsByOrder = new HashMap<>();

	final List<Document> idempotencyKeys = new ArrayList<>();

	static Books read(Http admin, String tijori, MongoClient mongo) {
		Books books = new Books();
		for (int page = 0;; page++) {
			Http.Answer answer = admin.json("GET", tijori + "/api/orders?size=100&page=" + page, null, Map.of());
			if (!answer.ok()) {
				throw new IllegalStateException("GET /api/orders: " + answer);
			}
			JsonNode items = answer.json().path("items");
			items.forEach(books.orders::add);
			if (items.size() < 100) {
				break;
			}
		}
		MongoDatabase sandbox = mongo.getDatabase("chaos_sandbox");
		MongoDatabase tijoriDb = mongo.getDatabase("chaos_tijori");
		Map<String, Long> razorpayRefunded = new HashMap<>();
		for (Document refund : all(sandbox, "sandbox_razorpay_refunds")) {
			if ("processed".equals(refund.getString("status"))) {
				razorpayRefunded.merge(refund.getString("paymentId"), number(refund, "amount"), Long::sum);
			}
		}
		for (Document payment : all(sandbox, "sandbox_razorpay_payments")) {
			books.gatewayPayments.add(new GatewayPayment("razorpay", payment.getString("_id"),
					payment.getString("orderId"), number(payment, "amount"), Boolean.TRUE.equals(payment.get("captured")),
					razorpayRefunded.getOrDefault(payment.getString("_id"), 0L)));
		}
		for (Document order : all(sandbox, "sandbox_razorpay_orders")) {
			books.razorpayOrdersByReceipt.computeIfAbsent(order.getString("receipt"), r -> new ArrayList<>())
				.add(order.getString("_id"));
		}
		Map<String, Long> paytmRefunded = new HashMap<>();
		for (Document refund : all(sandbox, "sandbox_paytm_refunds")) {
			if ("TXN_SUCCESS".equals(refund.getString("status"))) {
				paytmRefunded.merge(refund.getString("orderId"), number(refund, "amount"), Long::sum);
			}
		}
		for (Document order : all(sandbox, "sandbox_paytm_orders")) {
			if ("TXN_SUCCESS".equals(order.getString("status"))) {
				books.gatewayPayments.add(new GatewayPayment("paytm", order.getString("txnId"), order.getString("_id"),
						number(order, "txnAmount"), true, paytmRefunded.getOrDefault(order.getString("_id"), 0L)));
			}
		}
		for (Document txn : all(sandbox, "sandbox_payu_transactions")) {
			if ("success".equals(txn.getString("status"))) {
				books.gatewayPayments.add(new GatewayPayment("payu", txn.getString("mihpayid"), txn.getString("_id"),
						number(txn, "paid"), true, number(txn, "refunded")));
			}
		}
		for (Document event : all(tijoriDb, "order_events")) {
			books.eventsByOrder.computeIfAbsent(event.getString("orderId"), o -> new ArrayList<>()).add(event);
		}
		// the key lives on the order it claimed (unique per buyer): one key document per keyed order
		for (Document order : all(tijoriDb, "orders")) {
			if (order.getString("idempotencyKey") != null) {
				books.idempotencyKeys.add(new Document("_id", order.getString("idempotencyKey")).append("orderId",
						order.getString("publicId")));
			}
		}
		return books;
	}

	/** Every broken invariant, as {@code invariant → offending orders/payments}; empty when the books balance. */
	Map<String, List<String>> violations(Map<String, Set<String>> ordersByKey) {
		Map<String, List<String>> violations = new LinkedHashMap<>();
		Map<String, JsonNode> byGatewayOrder = new HashMap<>();
		Map<String, JsonNode> byId = new HashMap<>();
		for (JsonNode order : this.orders) {
			byId.put(order.path("id").asText(), order);
			for (JsonNode attempt : order.path("attempts")) {
				JsonNode other = byGatewayOrder.put(attempt.path("gatewayOrderId").asText(), order);
				if (other != null && other != order) {
					add(violations, "no receipt has two gateway orders (one gateway order on two Tijori orders)",
							attempt.path("gatewayOrderId").asText() + " on " + other.path("id").asText() + " and "
									+ order.path("id").asText());
				}
			}
		}
		this.razorpayOrdersByReceipt.forEach((receipt, ids) -> {
			if (ids.size() > 1) {
				add(violations, "no receipt has two gateway orders", receipt + " → " + ids);
			}
		});
		Map<String, List<GatewayPayment>> capturedByOrder = new HashMap<>();
		for (GatewayPayment payment : this.gatewayPayments) {
			if (payment.refunded() > payment.amount()) {
				add(violations, "refunds never exceed captures (gateway side)",
						payment.id() + " refunded " + payment.refunded() + " of " + payment.amount());
			}
			if (!payment.captured()) {
				continue;
			}
			JsonNode order = byGatewayOrder.get(payment.gatewayOrderId());
			if (order == null) {
				add(violations, "nothing lost: every captured payment is on a paid order",
						payment.gateway() + " payment " + payment.id() + " of gateway order " + payment.gatewayOrderId()
								+ " belongs to no Tijori order");
				continue;
			}
			capturedByOrder.computeIfAbsent(order.path("id").asText(), o -> new ArrayList<>()).add(payment);
			JsonNode seen = payment(order, payment.id());
			if (flagged(order, payment.id())) {
				continue; // a capture of the wrong amount: never "paid", left to an admin by design
			}
			if (!PAID.contains(order.path("status").asText()) || seen == null
					|| !Set.of("captured", "refunded").contains(seen.path("status").asText())) {
				add(violations, "nothing lost: every captured payment is on a paid order",
						order.path("id").asText() + " is " + order.path("status").asText() + ", payment " + payment.id()
								+ " (captured at " + payment.gateway() + ") is "
								+ (seen == null ? "unknown to Tijori" : seen.path("status").asText()));
			}
		}
		Map<String, GatewayPayment> gatewayById = this.gatewayPayments.stream()
			.collect(Collectors.toMap(GatewayPayment::id, p -> p, (a, b) -> a));
		for (JsonNode order : this.orders) {
			String id = order.path("id").asText();
			long amount = order.path("amount").path("amount").asLong();
			List<JsonNode> paying = new ArrayList<>();
			for (JsonNode p : order.path("payments")) {
				if (!p.path("duplicate").asBoolean() && !flagged(order, p.path("gatewayPaymentId").asText())
						&& Set.of("captured", "refunded").contains(p.path("status").asText())) {
					paying.add(p);
				}
			}
			if (PAID.contains(order.path("status").asText())) {
				boolean real = paying.size() == 1 && gatewayById.containsKey(paying.get(0).path("gatewayPaymentId").asText())
						&& gatewayById.get(paying.get(0).path("gatewayPaymentId").asText()).captured()
						&& gatewayById.get(paying.get(0).path("gatewayPaymentId").asText()).amount() == amount;
				if (!real) {
					add(violations, "nothing phantom: paid only what the gateway captured for the exact amount",
							id + " (" + amount + ") is " + order.path("status").asText() + " with paying payments "
									+ paying.stream().map(p -> p.path("gatewayPaymentId").asText() + " = "
											+ (gatewayById.containsKey(p.path("gatewayPaymentId").asText())
													? gatewayById.get(p.path("gatewayPaymentId").asText()).amount()
															+ " captured at the gateway"
													: "unknown to the gateway"))
										.toList());
				}
			}
			else if (!paying.isEmpty()) {
				add(violations, "nothing phantom: paid only what the gateway captured for the exact amount",
						id + " is " + order.path("status").asText() + " yet lists captured payments");
			}
			String payingId = paying.isEmpty() ? null : paying.get(0).path("gatewayPaymentId").asText();
			List<GatewayPayment> capturedHere = capturedByOrder.getOrDefault(id, List.of());
			for (GatewayPayment captured : capturedHere) {
				// one capture Tijori never saw is "nothing lost"; a second charge needs a first one
				if (captured.id().equals(payingId) || flagged(order, captured.id())
						|| payingId == null && capturedHere.size() == 1) {
					continue;
				}
				JsonNode seen = payment(order, captured.id());
				if (captured.refunded() != captured.amount() || seen == null || !seen.path("duplicate").asBoolean()) {
					add(violations, "no buyer charged twice without an automatic refund",
							id + ": " + captured.gateway() + " payment " + captured.id() + " captured " + captured.amount()
									+ ", refunded at the gateway " + captured.refunded() + ", Tijori duplicate="
									+ (seen == null ? "unknown" : seen.path("duplicate").asBoolean()));
				}
			}
			long refunded = order.path("amountRefunded").path("amount").asLong(0);
			if (refunded > amount) {
				add(violations, "refunds never exceed captures", id + " refunded " + refunded + " of " + amount);
			}
			Map<String, Long> processed = new HashMap<>();
			for (JsonNode refund : order.path("refunds")) {
				if ("processed".equals(refund.path("status").asText())) {
					processed.merge(refund.path("gatewayPaymentId").asText(), refund.path("amount").path("amount").asLong(),
							Long::sum);
				}
			}
			for (GatewayPayment captured : capturedByOrder.getOrDefault(id, List.of())) {
				long recorded = processed.getOrDefault(captured.id(), 0L);
				if (recorded != captured.refunded()) {
					add(violations, "every refund the gateway paid is recorded (and no other)",
							id + ": payment " + captured.id() + " refunded " + captured.refunded() + " at "
									+ captured.gateway() + ", " + recorded + " in Tijori");
				}
			}
			checkEvents(violations, id, order.path("status").asText());
		}
		checkKeys(violations, ordersByKey, byId.keySet());
		return violations;
	}

	private void checkEvents(Map<String, List<String>> violations, String id, String status) {
		List<Document> events = new ArrayList<>(this.eventsByOrder.getOrDefault(id, List.of()));
		events.sort(Comparator.comparingLong(e -> number(e, "version")));
		OrderStatus previous = null;
		for (int i = 0; i < events.size(); i++) {
			long version = number(events.get(i), "version");
			OrderStatus current = OrderStatus.valueOf(events.get(i).getString("status").toUpperCase(Locale.ROOT));
			if (version != i + 1) {
				add(violations, "order events are gap-free (versions 1..n)", id + " has versions "
						+ events.stream().map(e -> number(e, "version")).toList());
				return;
			}
			if (previous != null && !OrderStateMachine.canMove(previous, current)) {
				add(violations, "order events only move forward (state machine)",
						id + ": " + previous + " → " + current + " at version " + version);
			}
			previous = current;
		}
		String last = (previous == null) ? null : previous.name().toLowerCase(Locale.ROOT);
		if (last != null && !last.equals(status) || last == null && !"created".equals(status)) {
			add(violations, "order events are gap-free (the stream ends at the order's status)",
					id + " is " + status + ", its last event says " + last);
		}
	}

	private void checkKeys(Map<String, List<String>> violations, Map<String, Set<String>> ordersByKey,
			Set<String> orderIds) {
		ordersByKey.forEach((key, ids) -> {
			// a buyer that gave up still has its order if Tijori stored one under the key ("userId:key")
			boolean storedLater = ids.isEmpty() && this.idempotencyKeys.stream()
				.anyMatch(k -> String.valueOf(k.get("_id")).endsWith(":" + key) && k.getString("orderId") != null
						&& orderIds.contains(k.getString("orderId")));
			if (ids.size() != 1 && !storedLater) {
				add(violations, "every Idempotency-Key maps to exactly one order", ids.isEmpty()
						? key + " never answered with an order after 90 s of retries (see the [chaos] line naming it)"
						: key + " answered " + ids);
			}
		});
		Map<String, List<String>> keysByOrder = new TreeMap<>();
		for (Document key : this.idempotencyKeys) {
			keysByOrder.computeIfAbsent(key.getString("orderId"), o -> new ArrayList<>()).add(key.getString("_id"));
		}
		for (String id : orderIds) {
			List<String> keys = keysByOrder.getOrDefault(id, List.of());
			if (keys.size() != 1) {
				add(violations, "every Idempotency-Key maps to exactly one order", id + " has keys " + keys);
			}
		}
		keysByOrder.keySet().stream().filter(id -> id != null && !orderIds.contains(id)).forEach(id -> add(violations,
				"every Idempotency-Key maps to exactly one order", "a key stands for " + id + ", which does not exist"));
	}

	private static boolean flagged(JsonNode order, String gatewayPaymentId) {
		for (JsonNode flag : order.path("flags")) {
			if (flag.asText().equals("amount_mismatch:" + gatewayPaymentId)) {
				return true;
			}
		}
		return false;
	}

	private static JsonNode payment(JsonNode order, String gatewayPaymentId) {
		for (JsonNode p : order.path("payments")) {
			if (gatewayPaymentId.equals(p.path("gatewayPaymentId").asText())) {
				return p;
			}
		}
		return null;
	}

	private static void add(Map<String, List<String>> violations, String invariant, String detail) {
		violations.computeIfAbsent(invariant, i -> new ArrayList<>()).add(detail);
	}

	private static long number(Document document, String field) {
		Object value = document.get(field);
		return (value instanceof Number n) ? n.longValue() : 0L;
	}

	private static List<Document> all(MongoDatabase database, String collection) {
		return Flux.from(database.getCollection(collection).find()).collectList().block(Duration.ofSeconds(60));
	}

}
