package com.tijorihq.tijori.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.Environment;

import com.tijorihq.tijori.support.ApiClient;
import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Secrets never reach the logs: everything written while customers and the admin register, log in (also with a
 * wrong password), and log out, at production levels with Tijori's own loggers on DEBUG, holds no password, no
 * session id and no configured secret.
 */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class LogHygieneTests {

	/** Configured secrets that must never be printed, whichever of them this run has. */
	private static final List<String> SECRET_SETTINGS = List.of("tijori.admin.password", "RAZORPAY_KEY_SECRET",
			"RAZORPAY_WEBHOOK_SECRET", "tijori.razorpay.key-secret", "tijori.razorpay.webhook-secret", "MONGODB_URI",
			"tijori.paytm.merchant-key", "tijori.paytm.sandbox.merchant-key", "tijori.payu.salt",
			"tijori.payu.sandbox.salt");

	@Autowired
	ApiClients clients;

	@Autowired
	LoggingSystem loggingSystem;

	@Autowired
	Environment environment;

	@Test
	void passwordsSessionIdsAndSecretsNeverAppearInLogs(CapturedOutput output) {
		List<String> secrets = new ArrayList<>();
		try (LogLevels levels = new LogLevels(this.loggingSystem,
				Map.of(LoggingSystem.ROOT_LOGGER_NAME, LogLevel.INFO, "com.tijorihq", LogLevel.DEBUG))) {
			String email = "log-hygiene-" + UUID.randomUUID() + "@example.com";
			String password = "Pw-" + UUID.randomUUID();
			String wrongPassword = "Wrong-" + UUID.randomUUID();
			secrets.add(password);
			secrets.add(wrongPassword);

			ApiClient customer = this.clients.anonymous();
			customer.post("/api/auth/register", Map.of("email", email, "password", password, "name", "Log Hygiene"))
				.expectStatus()
				.isCreated();
			secrets.add(customer.cookie("SESSION"));
			customer.get("/api/auth/me").expectStatus().isOk();
			customer.post("/api/auth/logout", null).expectStatus().isNoContent();
			customer.post("/api/auth/login", Map.of("email", email, "password", wrongPassword))
				.expectStatus()
				.isUnauthorized();
			customer.post("/api/auth/login", Map.of("email", email, "password", password)).expectStatus().isOk();
			secrets.add(customer.cookie("SESSION"));
			customer.get("/api/auth/me").expectStatus().isOk();
			customer.post("/api/auth/logout", null).expectStatus().isNoContent();

			ApiClient admin = this.clients.admin();
			secrets.add(admin.cookie("SESSION"));
			admin.get("/api/auth/me").expectStatus().isOk();
			admin.post("/api/auth/logout", null).expectStatus().isNoContent();
		}
		for (String setting : SECRET_SETTINGS) {
			String value = this.environment.getProperty(setting);
			if (value != null && !value.isBlank()) {
				secrets.add(value);
			}
		}
		assertThat(secrets).doesNotContainNull().contains(ApiClients.ADMIN_PASSWORD);
		// the capture really saw the flow: one DEBUG line per request
		assertThat(output.getAll()).contains("POST /api/auth/register -> 201", "POST /api/auth/login -> 401",
				"POST /api/auth/logout -> 204");
		for (String secret : secrets) {
			assertThat(output.getAll()).as("log output").doesNotContain(secret);
		}
	}

}
