package com.tijorihq.tijori.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.MongoConnectionPoolClearedException;
import com.mongodb.MongoSocketReadException;
import com.mongodb.ServerAddress;
import com.mongodb.connection.ClusterId;
import com.mongodb.connection.ServerId;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.data.mongodb.UncategorizedMongoDbException;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request that loses its database connection (the server closed it, the pool was cleared) is a 503 problem with
 * Retry-After, not a 500: nothing was decided, and a retry finishes the work.
 */
class DatabaseUnavailableProblemTests {

	@Test
	void aLostDatabaseConnectionIsA503ToRetry() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/api/orders"));
		ServerId server = new ServerId(new ClusterId(), new ServerAddress("127.0.0.1", 27018));
		Exception lost = new UncategorizedMongoDbException("pool paused", new MongoConnectionPoolClearedException(
				server, new MongoSocketReadException("Exception receiving message", server.getAddress())));

		StepVerifier.create(new ProblemExceptionHandler(new Problems(new ObjectMapper())).handle(exchange, lost))
			.verifyComplete();

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(exchange.getResponse().getHeaders().getFirst("Retry-After")).isEqualTo("1");
		assertThat(exchange.getResponse().getHeaders().getContentType()).hasToString("application/problem+json");
		StepVerifier.create(exchange.getResponse().getBodyAsString())
			.assertNext(body -> assertThat(body).contains("\"code\":\"database_unavailable\""))
			.verifyComplete();
	}

}
