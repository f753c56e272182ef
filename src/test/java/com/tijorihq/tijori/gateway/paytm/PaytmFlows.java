package com.tijorihq.tijori.gateway.paytm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;

import com.tijorihq.tijori.support.ApiClient;
import com.tijorihq.tijori.support.ApiClients;

/** Paytm checkout over the real API and the Paytm sandbox, as a buyer's browser would do it. */
public final class PaytmFlows {

	/** The sandbox merchant key (application.yml {@code tijori.paytm.sandbox.merchant-key}), to forge callbacks. */
	public static final String SANDBOX_KEY = "tijori_sbx_key16";

	public static final String SANDBOX_MID = "TijoriSandbox00000001";

	private final ApiClients clients;

	public PaytmFlows(ApiClients clients) {
		this.clients = clients;
	}

	/** A new product priced {@code paise} and an order of one of it, to be paid with Paytm. */
	public JsonNode order(ApiClient buyer, long paise) {
		String product = this.clients.product(paise);
		return buyer
			.post("/api/orders", Map.of("items", List.of(Map.of("productId", product, "quantity", 1)), "gateway", "paytm"))
			.expectStatus()
			.isCreated()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

	/** Pays at the sandbox's JSON endpoint; returns {@code {callbackUrl, fields}}. */
	public JsonNode pay(JsonNode order, String outcome, String amount) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("orderId", order.get("gatewayOrderId").asText());
		body.put("outcome", outcome);
		if (amount != null) {
			body.put("amount", amount);
		}
		return this.clients.anonymous()
			.post("/sandbox/paytm/pay", body)
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

	public static Map<String, String> fields(JsonNode paid) {
		Map<String, String> fields = new LinkedHashMap<>();
		paid.get("fields").fields().forEachRemaining(field -> fields.put(field.getKey(), field.getValue().asText()));
		return fields;
	}

	/** Re-signs {@code fields} with the sandbox key, as only Paytm (or whoever holds the key) could. */
	public static Map<String, String> signed(Map<String, String> fields) {
		Map<String, String> copy = new LinkedHashMap<>(fields);
		copy.remove(PaytmChecksum.CHECKSUMHASH);
		copy.put(PaytmChecksum.CHECKSUMHASH, PaytmChecksum.generate(PaytmChecksum.callbackParams(copy), SANDBOX_KEY));
		return copy;
	}

	/** Posts the fields form-encoded with no cookies at all, like a cross-site POST from Paytm's page. */
	public WebTestClient.ResponseSpec callback(Map<String, String> fields) {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		fields.forEach(form::add);
		return this.clients.anonymous()
			.raw()
			.post()
			.uri("/api/payments/paytm/callback")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(BodyInserters.fromFormData(form))
			.exchange();
	}

	public JsonNode get(ApiClient client, String orderId) {
		return client.get("/api/orders/" + orderId)
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

}
