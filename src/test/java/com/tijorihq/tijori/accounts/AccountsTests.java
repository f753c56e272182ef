package com.tijorihq.tijori.accounts;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.Arguments;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;

import com.tijorihq.tijori.support.ApiClient;
import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

@IntegrationTest
class AccountsTests {

	@Autowired
	ApiClients clients;

	@Test
	void pagesGetTheCsrfCookieAtOnceProbesDoNot() {
		this.clients.anonymous().get("/api/products").expectStatus().isOk().expectCookie().exists("XSRF-TOKEN");
		for (String probe : List.of("/livez", "/readyz")) {
			this.clients.anonymous().get(probe).expectStatus().isOk().expectCookie().doesNotExist("XSRF-TOKEN");
		}
	}

	@Test
	void registerLogsInAtOnceThenLogoutAndLoginAgain() {
		ApiClient client = this.clients.anonymous();
		String email = "Alice-" + UUID.randomUUID() + "@Example.com";
		client.post("/api/auth/register", Map.of("email", email, "password", "correct-horse", "name", "Alice"))
			.expectStatus()
			.isCreated()
			.expectBody()
			.jsonPath("$.id").value(id -> assertThat((String) id).startsWith("usr_"))
			.jsonPath("$.email").isEqualTo(email)
			.jsonPath("$.roles[0]").isEqualTo("CUSTOMER")
			.jsonPath("$.password").doesNotExist()
			.jsonPath("$.passwordHash").doesNotExist();
		client.get("/api/auth/me").expectStatus().isOk().expectBody().jsonPath("$.email").isEqualTo(email);

		String sessionBeforeLogout = client.cookie("SESSION");
		client.post("/api/auth/logout", null).expectStatus().isNoContent();
		assertThat(client.cookie("SESSION")).isNull();
		client.get("/api/auth/me")
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		// the old session document is gone, not just forgotten by this client
		this.clients.anonymous().exchange(HttpMethod.GET, "/api/auth/me", null,
				Map.of("Cookie", "SESSION=" + sessionBeforeLogout)).expectStatus().isUnauthorized();

		client.post("/api/auth/login", Map.of("email", email.toLowerCase(), "password", "correct-horse"))
			.expectStatus()
			.isOk();
		client.get("/api/auth/me").expectStatus().isOk().expectBody().jsonPath("$.name").isEqualTo("Alice");
	}

	@Test
	void loginRotatesTheSessionId() {
		ApiClient client = this.clients.customer();
		String email = client.get("/api/auth/me").expectBody(UserResponse.class).returnResult().getResponseBody()
			.email();
		String before = client.cookie("SESSION");
		client.post("/api/auth/login", Map.of("email", email, "password", "password-123")).expectStatus().isOk();
		assertThat(client.cookie("SESSION")).isNotNull().isNotEqualTo(before);
		this.clients.anonymous().exchange(HttpMethod.GET, "/api/auth/me", null, Map.of("Cookie", "SESSION=" + before))
			.expectStatus().isUnauthorized();
	}

	@Test
	void wrongPasswordIsUnauthorized() {
		String email = register();
		this.clients.anonymous()
			.post("/api/auth/login", Map.of("email", email, "password", "wrong-password"))
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status").isEqualTo(401)
			.jsonPath("$.code").isEqualTo("bad_credentials");
		this.clients.anonymous()
			.post("/api/auth/login", Map.of("email", "nobody-" + UUID.randomUUID() + "@example.com", "password",
					"whatever-123"))
			.expectStatus()
			.isUnauthorized();
	}

	@Test
	void duplicateEmailInAnotherCaseIsConflict() {
		String email = register();
		this.clients.anonymous()
			.post("/api/auth/register", Map.of("email", email.toUpperCase(), "password", "password-456", "name", "Dup"))
			.expectStatus()
			.isEqualTo(409)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.code").isEqualTo("email_taken");
		// the original password still works, the duplicate's does not
		this.clients.anonymous().post("/api/auth/login", Map.of("email", email, "password", "password-123"))
			.expectStatus().isOk();
		this.clients.anonymous().post("/api/auth/login", Map.of("email", email, "password", "password-456"))
			.expectStatus().isUnauthorized();
	}

	static List<Arguments> badRegistrations() {
		String big = "{\"email\":\"big@example.com\",\"password\":\"password-123\",\"name\":\"" + "x".repeat(2 * 1024 * 1024)
				+ "\"}";
		return List.of(Arguments.of("weak password", "{\"email\":\"%s\",\"password\":\"short\",\"name\":\"A\"}",
				"application/json", 400, "password"),
				Arguments.of("bad email", "{\"email\":\"not-an-email\",\"password\":\"password-123\",\"name\":\"A\"}",
						"application/json", 400, "email"),
				Arguments.of("missing name", "{\"email\":\"%s\",\"password\":\"password-123\"}", "application/json", 400,
						"name"),
				Arguments.of("unknown field",
						"{\"email\":\"%s\",\"password\":\"password-123\",\"name\":\"A\",\"roles\":[\"ADMIN\"]}",
						"application/json", 400, "roles"),
				Arguments.of("wrong type", "{\"email\":\"%s\",\"password\":12345678,\"name\":\"A\"}",
						"application/json", 400, "password"),
				Arguments.of("malformed json", "{\"email\":\"%s\",\"password\":", "application/json", 400, null),
				Arguments.of("empty body", "", "application/json", 400, null),
				Arguments.of("2 MB body", big, "application/json", 413, null),
				Arguments.of("wrong content type", "email=%s&password=password-123&name=A",
						"application/x-www-form-urlencoded", 415, null));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badRegistrations")
	void badRegistrationIsAProblemAndCreatesNoUser(String name, String bodyTemplate, String contentType, int status,
			String field) {
		String email = "bad-" + UUID.randomUUID() + "@example.com";
		var body = this.clients.anonymous()
			.exchange(HttpMethod.POST, "/api/auth/register", bodyTemplate.replace("%s", email),
					Map.of("Content-Type", contentType))
			.expectStatus()
			.isEqualTo(status)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status").isEqualTo(status)
			.jsonPath("$.title").exists()
			.jsonPath("$.detail").exists()
			.jsonPath("$.type").exists();
		if (field != null) {
			body.jsonPath("$.errors[0].field").isEqualTo(field);
		}
		// nothing was stored: the email can still be registered
		this.clients.anonymous()
			.post("/api/auth/register", Map.of("email", email, "password", "password-123", "name", "Later"))
			.expectStatus()
			.isCreated();
	}

	@Test
	void sessionCookieLastsSevenDaysAndIsHttpOnlyAndLax() {
		ApiClient client = this.clients.anonymous();
		ResponseCookie cookie = client
			.post("/api/auth/register",
					Map.of("email", "cookie-" + UUID.randomUUID() + "@example.com", "password", "password-123",
							"name", "C"))
			.expectStatus()
			.isCreated()
			.returnResult(Void.class)
			.getResponseCookies()
			.getFirst("SESSION");
		assertThat(cookie).isNotNull();
		assertThat(cookie.getMaxAge()).isBetween(Duration.ofSeconds(604_800 - 60), Duration.ofSeconds(604_800 + 60));
		assertThat(cookie.isHttpOnly()).isTrue();
		assertThat(cookie.getSameSite()).isEqualToIgnoringCase("Lax");
		assertThat(cookie.isSecure()).as("plain HTTP and TIJORI_COOKIE_SECURE unset").isFalse();

		// sliding: a later request re-issues the cookie with a fresh 7 days
		ResponseCookie slid = client.get("/api/auth/me")
			.expectStatus()
			.isOk()
			.returnResult(Void.class)
			.getResponseCookies()
			.getFirst("SESSION");
		assertThat(slid).isNotNull();
		assertThat(slid.getValue()).isEqualTo(cookie.getValue());
		assertThat(slid.getMaxAge()).isBetween(Duration.ofSeconds(604_800 - 60), Duration.ofSeconds(604_800 + 60));
	}

	@Test
	void unsafeRequestWithSessionNeedsTheXsrfHeader() {
		ApiClient client = this.clients.customer();
		client.withoutCsrf()
			.post("/api/auth/logout", null)
			.expectStatus()
			.isForbidden()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.code").isEqualTo("csrf_token_invalid");
		client.get("/api/auth/me").expectStatus().isOk();
		// a wrong token is as bad as none
		client.exchange(HttpMethod.POST, "/api/auth/logout", null, Map.of("X-XSRF-TOKEN", "forged"))
			.expectStatus()
			.isForbidden();
		client.get("/api/auth/me").expectStatus().isOk();
	}

	@Test
	void unsafeRequestWithSessionWorksWithTheXsrfHeader() {
		ApiClient client = this.clients.customer();
		client.get("/api/auth/csrf").expectStatus().isNoContent();
		assertThat(client.cookie("XSRF-TOKEN")).isNotBlank();
		client.post("/api/auth/logout", null).expectStatus().isNoContent();
		client.get("/api/auth/me").expectStatus().isUnauthorized();
	}

	@Test
	void repeatedFailedLoginsAreThrottledWithRetryAfter() {
		String email = register();
		ApiClient client = this.clients.anonymous();
		for (int i = 0; i < 5; i++) {
			client.post("/api/auth/login", Map.of("email", email, "password", "wrong-" + i))
				.expectStatus()
				.isUnauthorized();
		}
		client.post("/api/auth/login", Map.of("email", email, "password", "wrong-again"))
			.expectStatus()
			.isEqualTo(429)
			.expectHeader()
			.value("Retry-After", value -> assertThat(Long.parseLong(value)).isBetween(1L, 15 * 60L))
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		// even the right password is refused while throttled: guessing cannot continue
		client.post("/api/auth/login", Map.of("email", email, "password", "password-123"))
			.expectStatus()
			.isEqualTo(429);
	}

	@Test
	void unknownRouteAndWrongMethodAreProblems() {
		this.clients.anonymous()
			.get("/api/nope")
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		this.clients.anonymous()
			.exchange(HttpMethod.PUT, "/api/auth/login", "{}", Map.of())
			.expectStatus()
			.value(status -> assertThat(status).isIn(404, 405))
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void requestsTheFirewallRefusesAreProblemsToo() {
		this.clients.anonymous()
			.get("/api/products/%25")
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("rejected_request");
	}

	@Test
	void healthGroupsAnswer() {
		this.clients.anonymous().get("/livez").expectStatus().isOk().expectBody()
			.jsonPath("$.status").isEqualTo("UP");
		this.clients.anonymous().get("/readyz").expectStatus().isOk().expectBody()
			.jsonPath("$.status").isEqualTo("UP");
		this.clients.management().get("/actuator/health").expectStatus().isOk().expectBody()
			.jsonPath("$.status").isEqualTo("UP");
	}

	private String register() {
		String email = "user-" + UUID.randomUUID() + "@example.com";
		this.clients.anonymous()
			.post("/api/auth/register", Map.of("email", email, "password", "password-123", "name", "U"))
			.expectStatus()
			.isCreated();
		return email;
	}

}
