package com.tijorihq.tijori.chaos;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

import com.tijorihq.tijori.chaos.Http.Answer;

/**
 * The buyers' side of a chaos run: each buyer registers, then orders with an {@code Idempotency-Key} through one
 * of the three gateways and pays at the sandbox, returns to Tijori or abandons the tab, pays again after a
 * failure, and retries through outages with the same key; an admin refunds some paid orders. What a buyer does is
 * drawn from its own {@link Random} seeded from the run's seed. Every key and the order ids it was answered with
 * are kept for the idempotency invariant.
 */
final class Shop {

	static final List<String> GATEWAYS = List.of("razorpay", "paytm", "payu");

	private static final Duration PATIENCE = Duration.ofSeconds(90);

	final Map<String, Set<String>> ordersByKey = new ConcurrentHashMap<>();

	final Map<String, AtomicInteger> scenarios = new ConcurrentHashMap<>();

	final AtomicInteger ordersDone = new AtomicInteger();

	final AtomicInteger refunds = new AtomicInteger();

	private final String tijori;

	private final String sandbox;

	private final long seed;

	private final Http gatewaySide = new Http(false);

	private final Http admin = new Http(true);

	private final List<String> products;

	Shop(String tijori, String sandbox, long seed, List<String> products) {
		this.tijori = tijori;
		this.sandbox = sandbox;
		this.seed = seed;
		this.products = products;
	}

	/** One buyer, ordering the orders numbered {@code first}, {@code first + stride}, … below {@code total}. */
	void buyer(int buyer, int first, int stride, int total) {
		Random random = new Random(this.seed * 31 + buyer);
		Http browser = new Http(true);
		retry(() -> browser.json("GET", this.tijori + "/api/auth/csrf", null, Map.of()));
		String email = "buyer-" + this.seed + "-" + buyer + "@example.com";
		Map<String, String> account = Map.of("email", email, "password", "buyer-password-1", "name", "Buyer " + buyer);
		Supplier<Answer> register = () -> browser.json("POST", this.tijori + "/api/auth/register", account, Map.of());
		Supplier<Answer> login = () -> browser.json("POST", this.tijori + "/api/auth/login",
				Map.of("email", email, "password", "buyer-password-1"), Map.of());
		// 409: registered before a crash cut the answer off; anything else not ok: the retries ran out while the
		// cluster restarted (slow on a loaded box), so the buyer tries again rather than shop logged out
		Answer session = retry(register);
		for (int round = 0; !session.ok() && round < 3; round++) {
			session = retry(login);
			if (!session.ok() && session.status() != 429) {
				session = retry(register);
			}
		}
		for (int n = first; n < total; n += stride) {
			try {
				order(browser, random, n);
			}
			finally {
				this.ordersDone.incrementAndGet();
			}
		}
	}

	private void order(Http browser, Random random, int n) {
		String gateway = GATEWAYS.get(n % GATEWAYS.size());
		String key = "chaos-" + this.seed + "-" + n;
		Map<String, Object> body = Map.of("items",
				List.of(Map.of("productId", this.products.get(random.nextInt(this.products.size())), "quantity",
						1 + random.nextInt(3))),
				"gateway", gateway);
		Supplier<Answer> create = () -> browser.json("POST", this.tijori + "/api/orders", body,
				Map.of("Idempotency-Key", key));
		Answer created = retry(create);
		if (!created.ok()) {
			// a key that never yields an order breaks "one order per key" (Books), unless Tijori never took it
			this.ordersByKey.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet());
			count("create-gave-up-" + created.status());
			System.out.println("[chaos] order " + key + " not created: " + created);
			return;
		}
		JsonNode order = remember(key, created);
		if (random.nextInt(5) == 0) { // the buyer double-clicks, or retries after a lost answer
			remember(key, retry(create));
		}
		String id = order.path("id").asText();
		if (order.path("checkout").isMissingNode() || order.path("gatewayOrderId").asText("").isEmpty()) {
			order = checkout(browser, id);
			if (order == null) {
				count("no-gateway-order");
				return;
			}
		}
		double roll = random.nextDouble();
		boolean razorpay = gateway.equals("razorpay");
		if (roll < 0.40) {
			count(gateway + ":pay-return");
			if (payAndReturn(browser, order, true, true) && random.nextInt(3) == 0) {
				refund(id, random);
			}
		}
		else if (roll < 0.55) {
			count(gateway + ":pay-abandon");
			pay(order, true);
		}
		else if (roll < 0.70) {
			count(gateway + ":fail-pay-again");
			payAndReturn(browser, order, false, true);
			JsonNode again = razorpay ? order : checkout(browser, id);
			if (again != null && payAndReturn(browser, again, true, true) && random.nextInt(3) == 0) {
				refund(id, random);
			}
		}
		else if (roll < 0.78) {
			count(gateway + ":fail-abandon");
			payAndReturn(browser, order, false, random.nextBoolean());
		}
		else if (roll < 0.85) {
			count(gateway + ":never-pay");
		}
		else if (!razorpay && roll < 0.89) {
			// the gateway takes one rupee less than the order (a tampered or buggy checkout): never "paid"
			count(gateway + ":underpay");
			JsonNode paid = pay(order, true, true);
			if (paid != null) {
				Map<String, String> fields = new HashMap<>();
				paid.path("fields").fields().forEachRemaining(f -> fields.put(f.getKey(), f.getValue().asText()));
				retry(() -> this.gatewaySide.form(paid.path("callbackUrl").asText(), fields));
			}
		}
		else if (razorpay && roll < 0.93) {
			count("razorpay:fail-late-authorization");
			JsonNode failed = pay(order, false);
			lateAuthorization(failed);
		}
		else if (razorpay) {
			// two tabs: one payment fails and is authorised late, after another one paid the order
			count("razorpay:double-charge");
			JsonNode failed = pay(order, false);
			payAndReturn(browser, order, true, true);
			lateAuthorization(failed);
		}
		else {
			count(gateway + ":pay-return");
			payAndReturn(browser, order, true, true);
		}
	}

	private JsonNode remember(String key, Answer answer) {
		JsonNode order = answer.json();
		if (answer.ok()) {
			this.ordersByKey.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(order.path("id").asText());
		}
		return order;
	}

	/** "Pay again": the order with its current attempt's checkout (a new one after a failure). */
	private JsonNode checkout(Http browser, String id) {
		Answer answer = retry(() -> browser.json("POST", this.tijori + "/api/orders/" + id + "/checkout", null, Map.of()));
		return (answer.ok() && !answer.json().path("gatewayOrderId").asText("").isEmpty()) ? answer.json() : null;
	}

	/** Pays at the sandbox and, if {@code returns}, brings the result back to Tijori. Whether the order is paid. */
	private boolean payAndReturn(Http browser, JsonNode order, boolean success, boolean returns) {
		JsonNode paid = pay(order, success);
		if (paid == null || !returns) {
			return false;
		}
		String gateway = order.path("gateway").asText();
		Answer back;
		if (gateway.equals("razorpay")) {
			if (!paid.has("razorpay_signature")) {
				return false;
			}
			back = retry(() -> browser.json("POST", this.tijori + "/api/orders/" + order.path("id").asText() + "/verify",
					paid, Map.of()));
			return back.ok() && "paid".equals(back.json().path("status").asText());
		}
		Map<String, String> fields = new HashMap<>();
		paid.path("fields").fields().forEachRemaining(f -> fields.put(f.getKey(), f.getValue().asText()));
		back = retry(() -> this.gatewaySide.form(paid.path("callbackUrl").asText(), fields));
		return back.status() == 303 && success;
	}

	/** The buyer at the gateway's page; null when the sandbox would not take the payment. */
	private JsonNode pay(JsonNode order, boolean success) {
		return pay(order, success, false);
	}

	private JsonNode pay(JsonNode order, boolean success, boolean underpay) {
		String outcome = success ? "success" : "failure";
		JsonNode checkout = order.path("checkout");
		Map<String, Object> less = underpay
				? Map.of("amount", new java.math.BigDecimal(checkout.path("amount").asText()).subtract(java.math.BigDecimal.ONE)
					.toPlainString())
				: Map.of();
		Answer paid = switch (order.path("gateway").asText()) {
			case "razorpay" -> this.gatewaySide.json("POST", this.sandbox + "/sandbox/razorpay/pay",
					Map.of("order_id", order.path("gatewayOrderId").asText(), "outcome", outcome), Map.of());
			case "paytm" -> this.gatewaySide.json("POST", this.sandbox + "/sandbox/paytm/pay",
					with(Map.of("orderId", checkout.path("orderId").asText(), "txnToken",
							checkout.path("txnToken").asText(), "outcome", outcome), less),
					Map.of());
			default -> {
				Map<String, String> form = new HashMap<>();
				checkout.fields().forEachRemaining(f -> form.put(f.getKey(), f.getValue().asText()));
				String action = form.remove("action");
				this.gatewaySide.form(action, form);
				yield this.gatewaySide.json("POST", this.sandbox + "/sandbox/payu/pay",
						with(Map.of("txnid", checkout.path("txnid").asText(), "outcome", outcome), less), Map.of());
			}
		};
		if (!paid.ok()) {
			count("sandbox-refused-pay-" + paid.status());
			return null;
		}
		return paid.json();
	}

	private static Map<String, Object> with(Map<String, Object> body, Map<String, Object> more) {
		Map<String, Object> all = new HashMap<>(body);
		all.putAll(more);
		return all;
	}

	/** Razorpay authorises (and captures) a failed payment late. */
	private void lateAuthorization(JsonNode failed) {
		if (failed == null) {
			return;
		}
		String payment = failed.path("razorpay_payment_id").asText();
		Answer late = this.gatewaySide.json("POST", this.sandbox + "/sandbox/razorpay/_late_authorization",
				Map.of("payment_id", payment, "capture", true), ChaosCluster.SANDBOX_CONTROL);
		count(late.ok() ? "late-authorized" : "late-authorization-refused-" + late.status());
	}

	private void refund(String orderId, Random random) {
		Http admin = this.admin;
		Map<String, Object> body = random.nextBoolean() ? Map.of() : Map.of("amount", 100 + random.nextInt(400));
		String key = "refund-" + orderId;
		Answer answer = retry(() -> admin.json("POST", this.tijori + "/api/orders/" + orderId + "/refunds", body,
				Map.of("Idempotency-Key", key)));
		if (answer.ok()) {
			this.refunds.incrementAndGet();
		}
		count("refund-" + answer.status());
	}

	void loginAdmin() {
		retry(() -> this.admin.json("GET", this.tijori + "/api/auth/csrf", null, Map.of()));
		Answer login = retry(() -> this.admin.json("POST", this.tijori + "/api/auth/login",
				Map.of("email", ChaosCluster.ADMIN_EMAIL, "password", ChaosCluster.ADMIN_PASSWORD), Map.of()));
		if (!login.ok()) {
			throw new IllegalStateException("admin login failed: " + login);
		}
	}

	Http adminClient() {
		return this.admin;
	}

	private void count(String what) {
		this.scenarios.computeIfAbsent(what, k -> new AtomicInteger()).incrementAndGet();
	}

	/** Again with the same request while there is no answer or a 502/503/504, for at most {@link #PATIENCE}. */
	private static Answer retry(Supplier<Answer> call) {
		Instant deadline = Instant.now().plus(PATIENCE);
		Answer answer = call.get();
		while (answer.transientFailure() && Instant.now().isBefore(deadline)) {
			try {
				Thread.sleep(300);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return answer;
			}
			answer = call.get();
		}
		return answer;
	}

}
