package com.tijorihq.tijori.accounts;

import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.mongodb.DBObject;
import org.bson.Document;
import org.bson.types.Binary;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.data.mongodb.core.ReactiveMongoOperations;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.session.data.mongo.JdkMongoSessionConverter;
import org.springframework.session.data.mongo.MongoSession;

import com.tijorihq.tijori.support.ApiClient;
import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;
import com.tijorihq.tijori.support.MongoCommandCounter;

import static org.assertj.core.api.Assertions.assertThat;

/** What a session costs in MongoDB per request, and what its document holds. */
@IntegrationTest
class SessionStoreTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@Autowired
	ApiClients clients;

	@Autowired
	MongoCommandCounter counter;

	@Autowired
	ReactiveMongoOperations mongo;

	@Test
	void meCostsOneSessionReadAndNoWrite() {
		ApiClient client = this.clients.customer();
		client.get("/api/auth/me").expectStatus().isOk();
		Document before = sessionDocument(client.cookie("SESSION"));

		String tag = UUID.randomUUID().toString();
		client.exchange(HttpMethod.GET, "/api/auth/me", null, Map.of(MongoCommandCounter.HEADER, tag))
			.expectStatus()
			.isOk();

		assertThat(this.counter.commands(tag)).containsExactly("find sessions");
		assertThat(sessionDocument(client.cookie("SESSION"))).as("not rewritten within the touch interval")
			.isEqualTo(before);
	}

	@Test
	void ordersListCostsTheSessionReadThePageAndTheCount() {
		ApiClient client = this.clients.customer();
		client.get("/api/orders").expectStatus().isOk();

		String tag = UUID.randomUUID().toString();
		client.exchange(HttpMethod.GET, "/api/orders", null, Map.of(MongoCommandCounter.HEADER, tag))
			.expectStatus()
			.isOk();

		// the page and its count run side by side, after the session read
		assertThat(this.counter.commands(tag)).startsWith("find sessions")
			.containsExactlyInAnyOrder("find sessions", "find orders", "aggregate orders");
	}

	@Test
	void loginWritesTheSessionOnceUnderItsNewId() {
		ApiClient client = this.clients.anonymous();
		String email = "once-" + UUID.randomUUID() + "@example.com";
		client.post("/api/auth/register", Map.of("email", email, "password", "password-123", "name", "Once"))
			.expectStatus()
			.isCreated();
		client.post("/api/auth/logout", null).expectStatus().isNoContent();

		String tag = UUID.randomUUID().toString();
		client.post("/api/auth/login", Map.of("email", email, "password", "password-123"),
				Map.of(MongoCommandCounter.HEADER, tag))
			.expectStatus()
			.isOk();

		// the counter sees session writes when there are some: exactly one here, under the new id
		assertThat(this.counter.commands(tag)).filteredOn(command -> command.endsWith(" sessions"))
			.containsExactly("delete sessions", "update sessions");
		client.get("/api/auth/me").expectStatus().isOk().expectBody().jsonPath("$.email").isEqualTo(email);
	}

	@Test
	void sessionDocumentHoldsTheUserAsPlainFields() {
		ApiClient client = this.clients.anonymous();
		String email = "plain-" + UUID.randomUUID() + "@example.com";
		String id = client
			.post("/api/auth/register", Map.of("email", email, "password", "password-123", "name", "Plain Person"))
			.expectStatus()
			.isCreated()
			.expectBody(UserResponse.class)
			.returnResult()
			.getResponseBody()
			.id();

		Document session = sessionDocument(client.cookie("SESSION"));
		assertThat(session).doesNotContainKey("attr");
		assertThat(session.get("expireAt", Date.class)).isInTheFuture();
		assertThat(session.get("attrs", Document.class)).containsOnly(Map.entry("userId", id),
				Map.entry("userEmail", email), Map.entry("userName", "Plain Person"),
				Map.entry("userRoles", List.of("CUSTOMER")));
		assertThat(session.values()).noneMatch(Binary.class::isInstance);
	}

	@Test
	void sessionOfTheOldJdkFormatIsLoggedOutCleanly() {
		String id = UUID.randomUUID().toString();
		MongoSession old = new MongoSession(id, Duration.ofDays(7).toSeconds());
		old.setAttribute("SPRING_SECURITY_CONTEXT",
				new SecurityContextImpl(UsernamePasswordAuthenticationToken.authenticated("old@example.com", null,
						List.of(new SimpleGrantedAuthority("ROLE_CUSTOMER")))));
		DBObject legacy = (DBObject) new JdkMongoSessionConverter(Duration.ofDays(7)).convert(old,
				TypeDescriptor.valueOf(MongoSession.class), TypeDescriptor.valueOf(DBObject.class));
		this.mongo.save(legacy, SessionConfiguration.COLLECTION).block(WAIT);
		assertThat(sessionDocument(id)).containsKey("attr");

		this.clients.anonymous()
			.exchange(HttpMethod.GET, "/api/auth/me", null, Map.of("Cookie", "SESSION=" + id))
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("unauthenticated");
		assertThat(sessionDocument(id)).as("deleted once read").isNull();
	}

	private Document sessionDocument(String id) {
		return this.mongo.findById(id, Document.class, SessionConfiguration.COLLECTION).block(WAIT);
	}

}
