package com.tijorihq.tijori.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;

import com.tijorihq.tijori.gateway.paytm.PaytmChecksum;
import com.tijorihq.tijori.gateway.paytm.PaytmFlows;
import com.tijorihq.tijori.support.ApiClient;
import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;
import com.tijorihq.tijori.support.TestData;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Paytm's server-to-server notifications go through the same intake as Razorpay's webhooks: verified by the
 * adapter, stored once under an event id made from what they report, applied once, retried from the store.
 */
@IntegrationTest
class GatewayNotificationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@Autowired
	ApiClients clients;

	@Autowired
	ReactiveMongoTemplate mongo;

	@Autowired
	MeterRegistry meters;

	@Autowired
	WebhookProcessor processor;

	PaytmFlows flows;

	@BeforeEach
	void setUp() {
		this.flows = new PaytmFlows(this.clients);
	}

	@AfterEach
	void resetSandbox() {
		this.clients.anonymous().delete("/sandbox/paytm/_faults").expectStatus().isOk();
	}

	@Test
	void aNotificationDeliveredFiveTimesIsStoredOnceAndAppliedOnce() throws Exception {
		ApiClient buyer = this.clients.customer();
		JsonNode order = this.flows.order(buyer, 41_200);
		String orderId = order.get("id").asText();
		Map<String, String> fields = PaytmFlows.fields(this.flows.pay(order, "success", null));
		double duplicatesBefore = duplicates();

		List<JsonNode> answers = TestData.concurrently(5, () -> form("/api/webhooks/paytm", fields, Map.of())
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody());

		assertThat(answers).extracting(answer -> answer.get("status").asText())
			.containsExactlyInAnyOrder("accepted", "duplicate", "duplicate", "duplicate", "duplicate");
		assertThat(answers).extracting(answer -> answer.get("id").asText()).containsOnly(answers.get(0).get("id").asText());
		String eventId = answers.get(0).get("id").asText();
		JsonNode paid = this.flows.get(buyer, orderId);
		assertThat(paid.get("status").asText()).isEqualTo("paid");
		assertThat(paid.get("payments")).singleElement()
			.satisfies(payment -> assertThat(payment.get("status").asText()).isEqualTo("captured"));
		assertThat(TestData.eventStatuses(this.mongo, orderId)).containsExactly("CREATED", "PAID");
		assertThat(storedEvents(eventId)).singleElement().satisfies(stored -> {
			assertThat(stored.getString("status")).isEqualTo("applied");
			assertThat(stored.getString("gateway")).isEqualTo("paytm");
		});
		assertThat(duplicates() - duplicatesBefore).isEqualTo(4.0);
	}

	@Test
	void aReplayWithFreshHeadersOrAFreshSignatureIsADuplicate() {
		ApiClient buyer = this.clients.customer();
		JsonNode order = this.flows.order(buyer, 42_300);
		String orderId = order.get("id").asText();
		Map<String, String> fields = PaytmFlows.fields(this.flows.pay(order, "success", null));

		String eventId = form("/api/payments/paytm/webhook", fields, Map.of("X-Request-Id", "first"))
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody()
			.get("id")
			.asText();
		assertThat(this.flows.get(buyer, orderId).get("status").asText()).isEqualTo("paid");

		// the same form again, through the other door, with other headers
		form("/api/webhooks/paytm", fields, Map.of("X-Request-Id", "replay", "User-Agent", "replayer/1.0"))
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("duplicate")
			.jsonPath("$.id")
			.isEqualTo(eventId);
		// the same report as JSON, in a fresh envelope with its own signature
		String body = "{\"mid\":\"" + PaytmFlows.SANDBOX_MID + "\", \"orderId\":\"" + fields.get("ORDERID")
				+ "\", \"txnId\":\"" + fields.get("TXNID") + "\", \"status\":\"" + fields.get("STATUS") + "\"}";
		String envelope = "{\"head\":{\"signatureType\":\"CHECKSUM\",\"signature\":\""
				+ PaytmChecksum.generate(body, PaytmFlows.SANDBOX_KEY) + "\"},\"body\":" + body + "}";
		this.clients.anonymous()
			.raw()
			.post()
			.uri("/api/webhooks/paytm")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(envelope)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("duplicate");

		assertThat(storedEvents(eventId)).hasSize(1);
		assertThat(TestData.eventStatuses(this.mongo, orderId)).containsExactly("CREATED", "PAID");
	}

	@Test
	void aNotificationWhoseStatusCallFailedIsAppliedLaterByTheProcessor() {
		ApiClient buyer = this.clients.customer();
		JsonNode order = this.flows.order(buyer, 43_400);
		String orderId = order.get("id").asText();
		Map<String, String> fields = PaytmFlows.fields(this.flows.pay(order, "success", null));
		this.clients.anonymous()
			.exchange(HttpMethod.PUT, "/sandbox/paytm/_faults", Map.of("errorRate", 1.0), Map.of())
			.expectStatus()
			.isOk();
		String eventId;
		try {
			eventId = form("/api/webhooks/paytm", fields, Map.of()).expectStatus()
				.isOk()
				.expectBody(JsonNode.class)
				.returnResult()
				.getResponseBody()
				.get("id")
				.asText();
		}
		finally {
			this.clients.anonymous().delete("/sandbox/paytm/_faults").expectStatus().isOk();
		}
		assertThat(this.flows.get(buyer, orderId).get("status").asText()).as("nothing applied on the message's word")
			.isEqualTo("created");
		assertThat(storedEvents(eventId)).singleElement()
			.satisfies(stored -> assertThat(stored.getString("status")).isEqualTo("received"));

		// its retry is due (the processor waits retry-interval, an hour in tests)
		this.mongo.updateFirst(Query.query(Criteria.where("_id").is(eventId)),
				new Update().set("nextAttemptAt", Instant.now().minusSeconds(1))
					.set("retryDue", com.tijorihq.tijori.common.DueKey.at(Instant.now().minusSeconds(1), eventId)),
				"webhook_events")
			.block(WAIT);
		assertThat(this.processor.processDue().block(WAIT)).isPositive();

		assertThat(this.flows.get(buyer, orderId).get("status").asText()).isEqualTo("paid");
		assertThat(storedEvents(eventId)).singleElement()
			.satisfies(stored -> assertThat(stored.getString("status")).isEqualTo("applied"));
		assertThat(TestData.eventStatuses(this.mongo, orderId)).containsExactly("CREATED", "PAID");
	}

	@Test
	void anUnsignedOrUnknownGatewaysNotificationStoresNothing() {
		ApiClient buyer = this.clients.customer();
		JsonNode order = this.flows.order(buyer, 44_500);
		Map<String, String> fields = new java.util.LinkedHashMap<>(
				PaytmFlows.fields(this.flows.pay(order, "success", null)));
		fields.put("TXNAMOUNT", "1.00");

		form("/api/webhooks/paytm", fields, Map.of()).expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("invalid_signature");
		form("/api/webhooks/stripe", fields, Map.of()).expectStatus().isNotFound();
		assertThat(this.flows.get(buyer, order.get("id").asText()).get("status").asText()).isEqualTo("created");
		assertThat(this.mongo
			.count(Query.query(Criteria.where("gateway").is("paytm").and("body").regex(order.get("gatewayOrderId")
				.asText())), "webhook_events")
			.block(WAIT)).isZero();
	}

	private WebTestClient.ResponseSpec form(String uri, Map<String, String> fields, Map<String, String> headers) {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		fields.forEach(form::add);
		return this.clients.anonymous()
			.raw()
			.post()
			.uri(uri)
			.headers(h -> headers.forEach(h::set))
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(BodyInserters.fromFormData(form))
			.exchange();
	}

	private double duplicates() {
		return this.meters.counter("tijori.webhooks.duplicates").count();
	}

	private List<Document> storedEvents(String eventId) {
		return this.mongo.find(Query.query(Criteria.where("_id").is(eventId)), Document.class, "webhook_events")
			.collectList()
			.block(WAIT);
	}

}
