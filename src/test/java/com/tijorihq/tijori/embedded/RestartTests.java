package com.tijorihq.tijori.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.tijorihq.tijori.TijoriApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions and data outlive the process: a clean restart of the application context on the same data directory
 * keeps users logged in. Runs its own contexts (with Secure cookies configured, which it checks too).
 */
class RestartTests {

	@TempDir
	Path dataDir;

	@Test
	void sessionSurvivesAnApplicationRestart() {
		String session;
		try (ConfigurableApplicationContext first = start()) {
			WebTestClient client = client(first);
			ResponseCookie cookie = client.post()
				.uri("/api/auth/register")
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(Map.of("email", "restart@example.com", "password", "password-123", "name", "R"))
				.exchange()
				.expectStatus()
				.isCreated()
				.returnResult(Void.class)
				.getResponseCookies()
				.getFirst("SESSION");
			assertThat(cookie).isNotNull();
			assertThat(cookie.isSecure()).as("TIJORI_COOKIE_SECURE=true").isTrue();
			session = cookie.getValue();
		}
		try (ConfigurableApplicationContext second = start()) {
			client(second).get()
				.uri("/api/auth/me")
				.cookie("SESSION", session)
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.email")
				.isEqualTo("restart@example.com");
		}
	}

	private ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(TijoriApplication.class).run("--server.port=0",
				"--tijori.embedded-mongo.port=0", "--tijori.embedded-mongo.data-dir=" + this.dataDir,
				"--tijori.cookie-secure=true", "--logging.level.root=warn");
	}

	private static WebTestClient client(ConfigurableApplicationContext context) {
		String port = context.getEnvironment().getProperty("local.server.port");
		return WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
	}

}
