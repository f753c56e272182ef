package com.tijorihq.tijori.support;

import java.util.Map;
import java.util.UUID;
import java.util.function.IntSupplier;

/** Creates browser-like clients for the server under test, and users to go with them. */
public class ApiClients {

	public static final String ADMIN_EMAIL = "admin@test.local";

	public static final String ADMIN_PASSWORD = "admin-password-123";

	private final IntSupplier port;

	private final IntSupplier managementPort;

	public ApiClients(IntSupplier port) {
		this(port, () -> {
			throw new IllegalStateException("No management port known to these clients");
		});
	}

	public ApiClients(IntSupplier port, IntSupplier managementPort) {
		this.port = port;
		this.managementPort = managementPort;
	}

	public int port() {
		return this.port.getAsInt();
	}

	public String baseUrl() {
		return "http://127.0.0.1:" + port();
	}

	/** The actuator's own port ({@code management.server.port}), where metrics and health details live. */
	public int managementPort() {
		return this.managementPort.getAsInt();
	}

	/** A client of the management port: {@code /actuator/**}, never routed by the Ingress. */
	public ApiClient management() {
		return new ApiClient(managementPort());
	}

	/** A client with no cookies yet. */
	public ApiClient anonymous() {
		return new ApiClient(port());
	}

	/** A new customer, registered and so logged in. */
	public ApiClient customer() {
		ApiClient client = anonymous();
		String email = "user-" + UUID.randomUUID() + "@example.com";
		client.post("/api/auth/register", Map.of("email", email, "password", "password-123", "name", "Test User"))
			.expectStatus()
			.isCreated();
		return client;
	}

	/** A new active product priced {@code paise} (INR), created by the admin; returns its id. */
	public String product(long paise) {
		return admin()
			.post("/api/products",
					Map.of("name", "Test product " + UUID.randomUUID(), "description", "created by a test", "price",
							Map.of("amount", paise, "currency", "INR")))
			.expectStatus()
			.isCreated()
			.expectBody(com.fasterxml.jackson.databind.JsonNode.class)
			.returnResult()
			.getResponseBody()
			.get("id")
			.asText();
	}

	/** The configured admin, logged in. */
	public ApiClient admin() {
		ApiClient client = anonymous();
		client.post("/api/auth/login", Map.of("email", ADMIN_EMAIL, "password", ADMIN_PASSWORD))
			.expectStatus()
			.isOk();
		return client;
	}

}
