package com.tijorihq.tijori.webhooks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.tijorihq.tijori.gateway.Hmac;
import com.tijorihq.tijori.support.ApiClient;
import com.tijorihq.tijori.support.ApiClients;

import static org.assertj.core.api.Assertions.assertThat;

/** Orders, sandbox payments and signed Razorpay webhooks over the real API, for webhook tests. */
final class Payments {

	static final String WEBHOOK_SECRET = "tijori_test_webhook_secret";

	private static final ObjectMapper json = new ObjectMapper();

	private final ApiClients clients;

	Payments(ApiClients clients) {
		this.clients = clients;
	}

	/** A new customer's order for one new product priced {@code paise}. */
	JsonNode order(ApiClient buyer, long paise) {
		String product = this.clients.product(paise);
		return buyer.post("/api/orders", Map.of("items", List.of(Map.of("productId", product,
				"quantity", 1))))
			.expectStatus()
			.isCreated()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

	/** Pays in the sandbox as the buyer would; returns the payment id (verify is never called). */
	String pay(JsonNode order, String outcome) {
		return this.clients.anonymous()
			.post("/sandbox/razorpay/pay", Map.of("order_id", order.get("gatewayOrderId").asText(), "outcome", outcome))
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody()
			.get("razorpay_payment_id")
			.asText();
	}

	/** The payment as the sandbox's Razorpay API returns it. */
	JsonNode gatewayPayment(String paymentId) {
		return sandboxApi("/payments/" + paymentId);
	}

	JsonNode sandboxApi(String path) {
		return this.clients.anonymous()
			.raw()
			.get()
			.uri("/sandbox/razorpay/v1" + path)
			.headers(h -> h.setBasicAuth("rzp_test_sandboxTijori1", "tijori_sandbox_secret"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

	/** A Razorpay event envelope around {@code payload}, as bytes. */
	static byte[] event(String event, Map<String, Object> payload) {
		Map<String, Object> envelope = new LinkedHashMap<>();
		envelope.put("entity", "event");
		envelope.put("account_id", "acc_Test");
		envelope.put("event", event);
		envelope.put("contains", List.copyOf(payload.keySet()));
		envelope.put("payload", payload);
		envelope.put("created_at", Instant.now().getEpochSecond());
		try {
			return json.writeValueAsBytes(envelope);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	static Map<String, Object> paymentPayload(JsonNode entity, String status) {
		Map<String, Object> copy = json.convertValue(entity, Map.class);
		copy.put("status", status);
		return Map.of("payment", Map.of("entity", copy));
	}

	static String sign(byte[] body) {
		return Hmac.sha256Hex(WEBHOOK_SECRET, body);
	}

	/** POSTs a webhook as Razorpay would (no session, no CSRF). */
	WebTestClient.ResponseSpec deliver(byte[] body, String signature, String eventId) {
		return this.clients.anonymous()
			.raw()
			.post()
			.uri("/api/webhooks/razorpay")
			.contentType(MediaType.APPLICATION_JSON)
			.headers(h -> {
				if (signature != null) {
					h.set("X-Razorpay-Signature", signature);
				}
				if (eventId != null) {
					h.set("X-Razorpay-Event-Id", eventId);
				}
			})
			.bodyValue(body)
			.exchange();
	}

	static String text(byte[] body) {
		return new String(body, StandardCharsets.UTF_8);
	}

	JsonNode get(ApiClient buyer, String orderId) {
		return buyer.get("/api/orders/" + orderId)
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

	/** Polls the order until {@code done} holds (bounded). */
	JsonNode await(ApiClient buyer, String orderId, Predicate<JsonNode> done, Duration atMost) {
		Instant deadline = Instant.now().plus(atMost);
		JsonNode order = get(buyer, orderId);
		while (!done.test(order) && Instant.now().isBefore(deadline)) {
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
			order = get(buyer, orderId);
		}
		assertThat(done.test(order)).as("order %s reached the expected state within %s: %s", orderId, atMost, order)
			.isTrue();
		return order;
	}

}
