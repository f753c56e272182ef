package com.tijorihq.tijori.accounts;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

import com.tijorihq.tijori.support.ApiClient;
import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;

@IntegrationTest
class AccountsTests {

	@Autowired
	ApiClients clients;

	@Test
	void registerLogsInAtOnceThenLogoutAndLoginAgain() {
		ApiClient client = this.clients.anonymous();
		String email = "Alice-" + UUID.randomUUID() + "@Example.com";
		client.post("/api/auth/register", Map.of("email", email, "password", "correct-horse", "name", "Alice"))
			.expectStatus()
			.isCreated()
			.expectBody()
			.jsonPath("$.id").value(id -> org.assertj.core.api.Assertions.assertThat((String) id).startsWith("usr_"))
			.jsonPath("$.email").isEqualTo(email)
			.jsonPath("$.roles[0]").isEqualTo("CUSTOMER")
			.jsonPath("$.password").doesNotExist()
			.jsonPath("$.passwordHash").doesNotExist();
		client.get("/api/auth/me").expectStatus().isOk().expectBody().jsonPath("$.email").isEqualTo(email);

		client.post("/api/auth/logout", null).expectStatus().isNoContent();
		client.get("/api/auth/me")
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);

		client.post("/api/auth/login", Map.of("email", email.toLowerCase(), "password", "correct-horse"))
			.expectStatus()
			.isOk();
		client.get("/api/auth/me").expectStatus().isOk().expectBody().jsonPath("$.name").isEqualTo("Alice");
	}

}
