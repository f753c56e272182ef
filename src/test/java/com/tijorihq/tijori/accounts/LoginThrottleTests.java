package com.tijorihq.tijori.accounts;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;
import com.tijorihq.tijori.support.TestData;

import static org.assertj.core.api.Assertions.assertThat;

/** The login throttle counts an attempt before its password is checked, so parallel guesses cannot overtake it. */
@IntegrationTest
class LoginThrottleTests {

	/** {@code tijori.login-throttle.max-failures-per-account} in the test profile. */
	private static final int ACCOUNT_BUDGET = 5;

	@Autowired
	ApiClients clients;

	@Test
	void twoHundredParallelWrongPasswordsGetOnlyTheBudgetEvaluated() throws Exception {
		String email = "race-" + UUID.randomUUID() + "@example.com";
		this.clients.anonymous()
			.post("/api/auth/register", Map.of("email", email, "password", "right-password-1", "name", "Racer"))
			.expectStatus()
			.isCreated();

		List<Integer> statuses = TestData.concurrently(200, () -> this.clients.anonymous()
			.post("/api/auth/login", Map.of("email", email, "password", "wrong-password-1"))
			.returnResult(Void.class)
			.getStatus()
			.value());

		assertThat(statuses).as("401 = evaluated and wrong; 429 = refused before hashing").containsOnly(401, 429);
		assertThat(statuses.stream().filter(status -> status == 401).count()).isEqualTo(ACCOUNT_BUDGET);
		// the right password now waits for the window too: the guesses used the account's budget
		this.clients.anonymous()
			.post("/api/auth/login", Map.of("email", email, "password", "right-password-1"))
			.expectStatus()
			.isEqualTo(429)
			.expectHeader()
			.exists("Retry-After")
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("too_many_attempts");
	}

	@Test
	void aSuccessfulLoginStartsTheAccountAfresh() {
		String email = "fresh-" + UUID.randomUUID() + "@example.com";
		this.clients.anonymous()
			.post("/api/auth/register", Map.of("email", email, "password", "right-password-1", "name", "Fresh"))
			.expectStatus()
			.isCreated();
		for (int round = 0; round < 3; round++) {
			for (int i = 0; i < ACCOUNT_BUDGET - 1; i++) {
				this.clients.anonymous()
					.post("/api/auth/login", Map.of("email", email, "password", "wrong-password-1"))
					.expectStatus()
					.isUnauthorized();
			}
			this.clients.anonymous()
				.post("/api/auth/login", Map.of("email", email, "password", "right-password-1"))
				.expectStatus()
				.isOk();
		}
	}

}
