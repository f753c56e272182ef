package com.tijorihq.tijori.ops;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

@IntegrationTest
class MetricsTests {

	@Autowired
	ApiClients clients;

	@Test
	void prometheusEndpointServesMicrometerMetricsWithoutLogin() {
		this.clients.anonymous().get("/api/auth/csrf").expectStatus().isNoContent();
		this.clients.anonymous()
			.get("/actuator/prometheus")
			.expectStatus()
			.isOk()
			.expectHeader()
			.value("Content-Type", type -> assertThat(type).startsWith("text/plain"))
			.expectBody(String.class)
			.value(body -> assertThat(body).contains("# TYPE jvm_memory_used_bytes gauge",
					"http_server_requests_seconds_count{", "uri=\"/api/auth/csrf\"", "process_uptime_seconds"));
	}

}
