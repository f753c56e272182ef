package com.tijorihq.tijori.ops;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import com.tijorihq.tijori.support.ApiClient;
import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/** What operators scrape: JVM and HTTP metrics plus Tijori's own, after one real checkout. */
@IntegrationTest
class MetricsTests {

	@Autowired
	ApiClients clients;

	@Test
	void prometheusEndpointServesMicrometerMetricsWithoutLogin() {
		this.clients.anonymous().get("/api/auth/csrf").expectStatus().isNoContent();
		payOneOrder();
		this.clients.management()
			.get("/actuator/prometheus")
			.expectStatus()
			.isOk()
			.expectHeader()
			.value("Content-Type", type -> assertThat(type).startsWith("text/plain"))
			.expectBody(String.class)
			.value(body -> assertThat(body).contains("# TYPE jvm_memory_used_bytes gauge",
					"http_server_requests_seconds_count{", "uri=\"/api/auth/csrf\"", "process_uptime_seconds",
					// gateway latency histogram by operation and outcome, its pool and its breaker
					"tijori_gateway_calls_seconds_bucket{", "operation=\"create_order\"", "outcome=\"success\"",
					"tijori_gateway_pool_active", "tijori_gateway_pool_queued", "resilience4j_circuitbreaker_state{",
					// checkout, status streams and webhooks
					"tijori_order_transitions_total{", "status=\"paid\"", "tijori_sse_streams_open",
					"tijori_webhooks_duplicates_total"));
	}

	private void payOneOrder() {
		String product = this.clients.product(10_000);
		ApiClient buyer = this.clients.customer();
		JsonNode order = buyer.post("/api/orders", Map.of("items", List.of(Map.of("productId", product, "quantity", 1))))
			.expectStatus()
			.isCreated()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		JsonNode paid = this.clients.anonymous()
			.post("/sandbox/razorpay/pay", Map.of("order_id", order.get("gatewayOrderId").asText(), "outcome", "success"))
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		buyer.post("/api/orders/" + order.get("id").asText() + "/verify", paid).expectStatus().isOk();
	}

}
