package com.tijorihq.tijori.ops;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;

import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The public port serves the API, the storefront and the two probes, nothing of the actuator; metrics and health
 * details live on the management port, which the Ingress never routes.
 */
@IntegrationTest
class ManagementPortTests {

	private static final List<String> ACTUATOR = List.of("/actuator", "/actuator/prometheus", "/actuator/health",
			"/actuator/health/liveness", "/actuator/health/readiness", "/actuator/info", "/actuator/env",
			"/actuator/heapdump", "/actuator/prometheus?x=1", "/actuator/../actuator/prometheus");

	@Autowired
	ApiClients clients;

	@Test
	void publicPortAnswersProbesButNoActuatorEndpoint() {
		assertThat(this.clients.managementPort()).isPositive().isNotEqualTo(this.clients.port());
		for (String probe : List.of("/livez", "/readyz")) {
			this.clients.anonymous().get(probe).expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UP");
		}
		for (String path : ACTUATOR) {
			var result = this.clients.anonymous().get(path).expectBody(String.class).returnResult();
			assertThat(result.getStatus().is4xxClientError()).as("%s on the public port: %s", path, result.getStatus())
				.isTrue();
			assertThat(result.getResponseBody()).as(path).doesNotContain("jvm_", "\"status\":\"UP\"", "_links");
		}
	}

	@Test
	void managementPortServesMetricsAndHealthButNotTheApiOrTheShop() {
		this.clients.management().get("/actuator/health").expectStatus().isOk().expectBody().jsonPath("$.status")
			.isEqualTo("UP");
		this.clients.management().get("/actuator/health/readiness").expectStatus().isOk();
		this.clients.management()
			.get("/actuator/prometheus")
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value(body -> assertThat(body).contains("jvm_memory_used_bytes"));
		for (String path : List.of("/api/products", "/", "/index.html", "/v3/api-docs", "/livez")) {
			this.clients.management().get(path).expectStatus().isEqualTo(HttpStatus.NOT_FOUND);
		}
	}

}
