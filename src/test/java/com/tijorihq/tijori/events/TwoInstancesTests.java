package com.tijorihq.tijori.events;

import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import de.bwaldvogel.mongo.MongoServer;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import com.tijorihq.tijori.TijoriApplication;
import com.tijorihq.tijori.support.ApiClient;
import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;

import static com.tijorihq.tijori.events.EventFixtures.assertStatus;
import static com.tijorihq.tijori.events.EventFixtures.statuses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two replicas behind one database: the shared test application (A, which hosts the embedded MongoDB) and a
 * second one (B) started here on A's database through {@code MONGODB_URI}, as a second pod would be.
 */
@IntegrationTest
class TwoInstancesTests {

	@Autowired
	ApiClients clients;

	@Autowired
	MongoServer embeddedMongo;

	@Test
	void aStreamOnOneInstanceFollowsAPaymentVerifiedOnAnother() {
		int mongoPort = this.embeddedMongo.getLocalAddress().getPort();
		try (ConfigurableApplicationContext b = new SpringApplicationBuilder(TijoriApplication.class)
			.profiles("test")
			.run("--server.port=0", "--MONGODB_URI=mongodb://127.0.0.1:" + mongoPort + "/tijori?retryWrites=false",
					"--spring.lifecycle.timeout-per-shutdown-phase=1s")) {
			ApiClients onB = new ApiClients(
					() -> b.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
			assertThat(onB.port()).isNotEqualTo(this.clients.port());

			EventFixtures fixtures = new EventFixtures(this.clients);
			ApiClient buyerOnA = this.clients.customer();
			JsonNode order = fixtures.order(buyerOnA);
			String id = order.get("id").asText();
			// sessions live in the shared database: the cookie A issued is good on B
			ApiClient buyerOnB = onB.anonymous();
			buyerOnB.cookies().putAll(buyerOnA.cookies());

			StepVerifier.create(statuses(buyerOnB, id, Map.of()))
				.assertNext(first -> assertStatus(first, id, "created"))
				.then(() -> fixtures.payAndVerify(this.clients.anonymous(), buyerOnA, order))
				.thenConsumeWhile(event -> !"paid".equals(event.data().get("status").asText()))
				.assertNext(last -> assertStatus(last, id, "paid"))
				.expectComplete()
				.verify(Duration.ofSeconds(20));
		}
	}

}
