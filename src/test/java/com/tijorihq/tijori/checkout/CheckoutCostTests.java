package com.tijorihq.tijori.checkout;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import com.tijorihq.tijori.support.ApiClient;
import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;
import com.tijorihq.tijori.support.MongoCommandCounter;

import static com.tijorihq.tijori.checkout.CheckoutFixtures.line;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What one checkout costs in database commands, counted at the driver: the guarantees (Idempotency-Key, gateway
 * lease, outbox) ride on writes the request makes anyway, so a budget over the count keeps it from creeping up.
 */
@IntegrationTest
class CheckoutCostTests {

	@Autowired
	ApiClients clients;

	@Autowired
	MongoCommandCounter commands;

	@Test
	void creatingAnOrderCostsTheSessionReadTheProductReadTheInsertAndOneUpdate() {
		CheckoutFixtures fixtures = new CheckoutFixtures(this.clients);
		ApiClient buyer = this.clients.customer();
		String product = fixtures.product(12_300);
		Map<String, Object> body = Map.of("items", List.of(line(product, 1)));
		// warm-up: indexes ensured, session established
		buyer.post("/api/orders", body, Map.of("Idempotency-Key", "warm-up")).expectStatus().isCreated();

		JsonNode[] created = new JsonNode[1];
		List<String> create = this.commands.during(() -> created[0] = buyer
			.post("/api/orders", body, Map.of("Idempotency-Key", "cost-1"))
			.expectStatus()
			.isCreated()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody());
		assertThat(created[0].get("gatewayOrderId").asText()).startsWith("order_");
		assertThat(withoutSessions(create)).as("POST /api/orders besides its session: %s", create)
			.containsExactly("find products", "insert orders", "findAndModify orders");

		List<String> replay = this.commands.during(() -> buyer
			.post("/api/orders", body, Map.of("Idempotency-Key", "cost-1"))
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.id")
			.isEqualTo(created[0].get("id").asText()));
		assertThat(withoutSessions(replay)).as("a replay besides its session: %s", replay)
			.containsExactly("find products", "insert orders", "find orders");
	}

	private static List<String> withoutSessions(List<String> commands) {
		return commands.stream().filter(command -> !command.endsWith(" sessions")).toList();
	}

}
