package com.tijorihq.tijori.gateway.sandbox;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.tijorihq.tijori.support.ApiClient;
import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;

/**
 * The sandboxes' control endpoints change what a payment does (faults, late authorisation, settling refunds), so
 * they answer only the operator: without the sandbox key, a 401 problem and nothing changes.
 */
@IntegrationTest
class SandboxControlsTests {

	@Autowired
	ApiClients clients;

	@Test
	void controlEndpointsOfEverySandboxNeedTheSandboxKey() {
		// a client of its own: ApiClient sends the key to these paths by itself
		WebTestClient stranger = WebTestClient.bindToServer().baseUrl(this.clients.baseUrl()).build();
		for (String gateway : List.of("razorpay", "paytm", "payu")) {
			String faults = "/sandbox/" + gateway + "/_faults";
			for (String key : new String[] { null, "", "wrong-key", ApiClient.SANDBOX_KEY + "x" }) {
				refused(stranger.put().uri(faults).headers(h -> {
					if (key != null) {
						h.set("X-Sandbox-Key", key);
					}
				}).contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("hang", true)).exchange());
			}
			refused(stranger.get().uri(faults).exchange());
			refused(stranger.delete().uri(faults).exchange());
			this.clients.anonymous()
				.get(faults)
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.hang")
				.isEqualTo(false);
		}
		refused(stranger.post()
			.uri("/sandbox/razorpay/_late_authorization")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("payment_id", "pay_00000000000001"))
			.exchange());
		refused(stranger.post().uri("/sandbox/razorpay/_process_refunds").exchange());
		// the operator's key opens them
		this.clients.anonymous()
			.exchange(HttpMethod.POST, "/sandbox/razorpay/_process_refunds", Map.of(), Map.of())
			.expectStatus()
			.isOk();
	}

	private static void refused(WebTestClient.ResponseSpec response) {
		response.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.contentType("application/problem+json")
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("sandbox_key_required");
	}

}
