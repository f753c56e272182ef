package com.tijorihq.tijori.ops;

import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import com.tijorihq.tijori.common.RequestCorrelation;
import com.tijorihq.tijori.support.ApiClient;
import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class CorrelationTests {

	private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

	@Autowired
	ApiClients clients;

	@Autowired
	LoggingSystem loggingSystem;

	@Test
	void incomingTraceparentNamesTheRequestInLogsHeaderAndProblem(CapturedOutput output) {
		try (LogLevels debug = new LogLevels(this.loggingSystem,
				Map.of(RequestCorrelation.class.getName(), LogLevel.DEBUG))) {
			this.clients.anonymous()
				.exchange(HttpMethod.GET, "/api/auth/me", null,
						Map.of("traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01"))
				.expectStatus()
				.isUnauthorized()
				.expectHeader()
				.valueEquals(RequestCorrelation.HEADER, TRACE_ID)
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.traceId")
				.isEqualTo(TRACE_ID);
			// the request's own log line carries the trace id, though it is written on another thread
			await().untilAsserted(() -> assertThat(output.getOut().lines()
				.filter(line -> line.contains("GET /api/auth/me -> 401"))
				.filter(line -> line.contains(TRACE_ID))).isNotEmpty());
		}
	}

	@Test
	void withoutHeadersEachRequestGetsAFreshTraceIdThatTheProblemRepeats() {
		EntityExchangeResult<byte[]> first = this.clients.anonymous()
			.get("/api/auth/me")
			.expectStatus()
			.isUnauthorized()
			.expectBody()
			.returnResult();
		String id = first.getResponseHeaders().getFirst(RequestCorrelation.HEADER);
		assertThat(id).matches("[0-9a-f]{32}");
		assertThat(new String(first.getResponseBody())).contains("\"traceId\":\"" + id + "\"");
		String second = this.clients.anonymous()
			.get("/api/auth/me")
			.returnResult(Void.class)
			.getResponseHeaders()
			.getFirst(RequestCorrelation.HEADER);
		assertThat(second).matches("[0-9a-f]{32}").isNotEqualTo(id);
	}

	/**
	 * A caller's own id is in the MDC of the request's log lines, though the line is written on another thread than
	 * the one that read the header; a request without one has none.
	 */
	@Test
	void aCallersRequestIdIsInTheMdcOfItsLogLines() {
		Logger logger = (Logger) LoggerFactory.getLogger(RequestCorrelation.class);
		ListAppender<ILoggingEvent> lines = new ListAppender<>();
		lines.start();
		logger.addAppender(lines);
		try (LogLevels debug = new LogLevels(this.loggingSystem,
				Map.of(RequestCorrelation.class.getName(), LogLevel.DEBUG))) {
			this.clients.anonymous()
				.exchange(HttpMethod.GET, "/api/auth/me", null, Map.of(RequestCorrelation.HEADER, "ticket-43"))
				.expectStatus()
				.isUnauthorized();
			this.clients.anonymous().exchange(HttpMethod.GET, "/api/auth/csrf", null, Map.of()).expectStatus()
				.isNoContent();
			await().untilAsserted(() -> {
				assertThat(lines.list).filteredOn(line -> line.getFormattedMessage().contains("GET /api/auth/me"))
					.extracting(line -> line.getMDCPropertyMap().get(RequestCorrelation.HEADER))
					.containsExactly("ticket-43");
				assertThat(lines.list).filteredOn(line -> line.getFormattedMessage().contains("GET /api/auth/csrf"))
					.extracting(line -> line.getMDCPropertyMap().get(RequestCorrelation.HEADER))
					.containsExactly((String) null);
			});
		}
		finally {
			logger.detachAppender(lines);
		}
	}

	/**
	 * A line written on a gateway thread, after the request left the event loop, still names its request: the
	 * request's correlation travels in its Reactor Context and is restored for the line.
	 */
	@Test
	void aGatewayThreadsLogLineNamesItsRequest() {
		String traceId = "0af7651916cd43dd8448eb211c80319c";
		Logger logger = (Logger) LoggerFactory.getLogger("com.tijorihq.tijori.gateway.razorpay.RazorpayErrors");
		ListAppender<ILoggingEvent> lines = new ListAppender<>();
		lines.start();
		logger.addAppender(lines);
		ApiClient buyer = this.clients.customer();
		String product = this.clients.product(12_300);
		try {
			this.clients.anonymous()
				.exchange(HttpMethod.PUT, "/sandbox/razorpay/_faults", Map.of("errorRate", 1), Map.of())
				.expectStatus()
				.isOk();
			buyer
				.post("/api/orders", Map.of("items", List.of(Map.of("productId", product, "quantity", 1))),
						Map.of("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01", RequestCorrelation.HEADER,
								"ticket-44"))
				// accepted with its gateway order left for later, or refused for now: either way the call was logged
				.expectStatus()
				.value(status -> assertThat(status).isIn(201, 503));
			await().untilAsserted(() -> assertThat(lines.list)
				.filteredOn(line -> line.getFormattedMessage().startsWith("Razorpay create_order: HTTP 500"))
				.isNotEmpty()
				.allSatisfy(line -> {
					assertThat(line.getThreadName()).startsWith("razorpay");
					assertThat(line.getMDCPropertyMap()).containsEntry("traceId", traceId)
						.containsEntry(RequestCorrelation.HEADER, "ticket-44");
				}));
		}
		finally {
			logger.detachAppender(lines);
			this.clients.anonymous().delete("/sandbox/razorpay/_faults").expectStatus().isOk();
		}
	}

	@Test
	void aCallersRequestIdIsEchoedOnlyWhenItIsSane() {
		this.clients.anonymous()
			.exchange(HttpMethod.GET, "/api/auth/csrf", null, Map.of(RequestCorrelation.HEADER, "ticket-42.a:b_c"))
			.expectStatus()
			.isNoContent()
			.expectHeader()
			.valueEquals(RequestCorrelation.HEADER, "ticket-42.a:b_c");
		String replaced = this.clients.anonymous()
			.exchange(HttpMethod.GET, "/api/auth/csrf", null,
					Map.of(RequestCorrelation.HEADER, "<script>alert(1)</script>"))
			.expectStatus()
			.isNoContent()
			.returnResult(Void.class)
			.getResponseHeaders()
			.getFirst(RequestCorrelation.HEADER);
		assertThat(replaced).matches("[0-9a-f]{32}");
	}

}
