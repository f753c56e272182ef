package com.tijorihq.tijori.events;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Collectors;

import de.bwaldvogel.mongo.MongoServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import com.tijorihq.tijori.TijoriApplication;
import com.tijorihq.tijori.support.ApiClient;
import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Streams written straight to their connections, on an instance of their own (C, on the shared database) with
 * short periods: heartbeats every {@value #HEARTBEAT_MS} ms from the instance's ticker, a lifetime of
 * {@value #LIFETIME_MS} ms, and {@value #BUFFER} writes a client may leave unread. Read over plain sockets, as a
 * browser's connection would, so a client that stops reading is really one.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectionStreamTests {

	private static final int HEARTBEAT_MS = 300;

	private static final int LIFETIME_MS = 4000;

	private static final int BUFFER = 4;

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	@Autowired
	ApiClients clients;

	@Autowired
	MongoServer embeddedMongo;

	ConfigurableApplicationContext c;

	int port;

	@BeforeAll
	void startC() {
		int mongoPort = this.embeddedMongo.getLocalAddress().getPort();
		this.c = new SpringApplicationBuilder(TijoriApplication.class).profiles("test")
			.run("--server.port=0", "--MONGODB_URI=mongodb://127.0.0.1:" + mongoPort + "/tijori?retryWrites=false",
					"--spring.lifecycle.timeout-per-shutdown-phase=1s",
					"--tijori.events.heartbeat=" + HEARTBEAT_MS + "ms",
					"--tijori.events.max-lifetime=" + LIFETIME_MS + "ms", "--tijori.events.buffer-size=" + BUFFER);
		this.port = this.c.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

	@AfterAll
	void stopC() {
		if (this.c != null) {
			this.c.close();
		}
	}

	@Test
	void anIdleStreamGetsHeartbeatsAndEndsAtItsMaximumLifetimeReleasingItsPlace() throws IOException {
		ApiClient buyer = this.clients.customer();
		String id = new EventFixtures(this.clients).order(buyer).get("id").asText();
		long started = System.nanoTime();
		try (RawStream stream = open(buyer, id, 0)) {
			String head = stream.readUntil("\"status\":\"created\"", TIMEOUT);
			assertThat(head).startsWith("HTTP/1.1 200").contains(":status of " + id).contains("retry:3000");
			String beats = stream.readUntil(":heartbeat\n\n", Duration.ofMillis(HEARTBEAT_MS * 4L));
			assertThat(beats).contains(":heartbeat");
			String more = stream.readUntil(":heartbeat\n\n", Duration.ofMillis(HEARTBEAT_MS * 4L));
			assertThat(more).contains(":heartbeat");
			// the end of a chunked body: the response completes, the connection stays usable
			stream.readUntil("\r\n0\r\n\r\n", TIMEOUT);
			long lived = Duration.ofNanos(System.nanoTime() - started).toMillis();
			assertThat(lived).isBetween(LIFETIME_MS - 200L, LIFETIME_MS + 3000L);
		}
		StreamLimits limits = this.c.getBean(StreamLimits.class);
		OrderEventBus bus = this.c.getBean(OrderEventBus.class);
		await().atMost(TIMEOUT).until(() -> limits.open() == 0 && bus.subscriptions() == 0 && openStreams() == 0);
	}

	@Test
	void aClientThatStopsReadingIsCutWhileAnotherOnTheSameOrderGetsEveryChangeAtOnce() throws IOException {
		ApiClient buyer = this.clients.customer();
		String id = new EventFixtures(this.clients).order(buyer).get("id").asText();
		OrderEventBus bus = this.c.getBean(OrderEventBus.class);
		double cutBefore = cuts();
		try (RawStream stalled = open(buyer, id, 64); RawStream reader = open(buyer, id, 0)) {
			stalled.readUntil("\"status\":\"created\"", TIMEOUT);
			reader.readUntil("\"status\":\"created\"", TIMEOUT);
			// changes in rounds; the stalled client reads nothing more, so its socket buffers fill, then its
			// connection's, and it is cut; the reader gets each round at once throughout
			long version = 1;
			for (int round = 0; round < 400 && cuts() == cutBefore; round++) {
				for (int i = 0; i < 100; i++) {
					version++;
					bus.deliver(new OrderStatusEvent(id, version, "attempted", Instant.now(), false));
				}
				reader.readUntil("id:" + version + "\n", Duration.ofSeconds(5));
			}
			assertThat(cuts()).as("the stalled stream was cut").isEqualTo(cutBefore + 1);
			version++;
			bus.deliver(new OrderStatusEvent(id, version, "paid", Instant.now(), true));
			String last = reader.readUntil("\r\n0\r\n\r\n", Duration.ofSeconds(5));
			assertThat(last).contains("id:" + version + "\n").contains("\"status\":\"paid\"");
			// the server closed the stalled connection: what it had buffered, then the end of the stream
			assertThat(stalled.drainToEnd(TIMEOUT)).as("closed by the server").isTrue();
		}
		StreamLimits limits = this.c.getBean(StreamLimits.class);
		await().atMost(TIMEOUT).until(() -> limits.open() == 0 && bus.subscriptions() == 0 && openStreams() == 0);
	}

	@Test
	void theFinalChangeGoesOutAtOnceAndTheResponseEndsATickLater() throws IOException {
		ApiClient buyer = this.clients.customer();
		String id = new EventFixtures(this.clients).order(buyer).get("id").asText();
		OrderEventBus bus = this.c.getBean(OrderEventBus.class);
		long tick = StreamTicker.tick(Duration.ofMillis(HEARTBEAT_MS), Duration.ofMillis(LIFETIME_MS)).toMillis();
		try (RawStream stream = open(buyer, id, 0)) {
			stream.readUntil("\"status\":\"created\"", TIMEOUT);
			bus.deliver(new OrderStatusEvent(id, 2, "paid", Instant.now(), true));
			stream.readUntil("\"status\":\"paid\"", TIMEOUT);
			stream.readUntil("\n\n\r\n", TIMEOUT); // the rest of the change's chunk
			long paidAt = System.nanoTime();
			// the change alone: the response's end is not in the same write, nor right behind it
			assertThat(stream.readUntil("\r\n", Duration.ofMillis(tick / 2), false)).as("ended with the change")
				.isNull();
			assertThat(stream.readUntil("0\r\n\r\n", TIMEOUT)).isEqualTo("0\r\n\r\n");
			long endedAfter = Duration.ofNanos(System.nanoTime() - paidAt).toMillis();
			assertThat(endedAfter).as("the end follows a tick of %s ms later", tick).isBetween(tick / 2, 5_000L);
		}
		StreamLimits limits = this.c.getBean(StreamLimits.class);
		await().atMost(TIMEOUT).until(() -> limits.open() == 0 && bus.subscriptions() == 0 && openStreams() == 0);
	}

	@Test
	void stoppingTheInstanceEndsItsStreamsSoClientsReconnectElsewhere() throws IOException {
		ApiClient buyer = this.clients.customer();
		String id = new EventFixtures(this.clients).order(buyer).get("id").asText();
		OrderEventBus bus = this.c.getBean(OrderEventBus.class);
		StreamLimits limits = this.c.getBean(StreamLimits.class);
		try (RawStream stream = open(buyer, id, 0)) {
			stream.readUntil("\"status\":\"created\"", TIMEOUT);
			bus.stop();
			stream.readUntil("\r\n0\r\n\r\n", Duration.ofSeconds(5));
			await().atMost(TIMEOUT).until(() -> limits.open() == 0 && openStreams() == 0);
		}
		finally {
			bus.start();
		}
	}

	private double cuts() {
		return this.c.getBean(MeterRegistry.class).get("tijori.sse.streams.cut").counter().count();
	}

	private double openStreams() {
		return this.c.getBean(MeterRegistry.class).get("tijori.sse.streams.open").gauge().value();
	}

	/** @param receiveBuffer the socket's receive buffer in KB (a client that will stop reading), or 0 */
	private RawStream open(ApiClient client, String orderId, int receiveBuffer) throws IOException {
		Socket socket = new Socket();
		if (receiveBuffer > 0) {
			socket.setReceiveBufferSize(receiveBuffer * 1024);
		}
		socket.connect(new java.net.InetSocketAddress("127.0.0.1", this.port));
		String cookies = client.cookies()
			.entrySet()
			.stream()
			.map(cookie -> cookie.getKey() + "=" + cookie.getValue())
			.collect(Collectors.joining("; "));
		socket.getOutputStream()
			.write(("GET /api/orders/" + orderId + "/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
					+ "Cookie: " + cookies + "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
		return new RawStream(socket);
	}

	/** The raw bytes of one response as text (chunk sizes and all: each event is written as one chunk). */
	private static final class RawStream implements AutoCloseable {

		private final Socket socket;

		private final InputStream in;

		private final StringBuilder unread = new StringBuilder();

		RawStream(Socket socket) throws IOException {
			this.socket = socket;
			this.in = socket.getInputStream();
		}

		/** Everything up to and including {@code marker}; fails if it does not come within {@code within}. */
		String readUntil(String marker, Duration within) throws IOException {
			return readUntil(marker, within, true);
		}

		/** The same; null, if {@code required} is false and the marker did not come in time. */
		String readUntil(String marker, Duration within, boolean required) throws IOException {
			long deadline = System.nanoTime() + within.toNanos();
			byte[] buffer = new byte[8192];
			while (this.unread.indexOf(marker) < 0) {
				long left = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
				if (!required && left <= 0) {
					return null;
				}
				assertThat(left).as("waiting for %s; got %s", marker, this.unread).isPositive();
				this.socket.setSoTimeout((int) left);
				int read;
				try {
					read = this.in.read(buffer);
				}
				catch (SocketTimeoutException ex) {
					continue;
				}
				assertThat(read).as("connection closed while waiting for %s", marker).isPositive();
				this.unread.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
			}
			int end = this.unread.indexOf(marker) + marker.length();
			String text = this.unread.substring(0, end);
			this.unread.delete(0, end);
			return text;
		}

		/** Reads until the server closes the connection; false if it is still open after {@code within}. */
		boolean drainToEnd(Duration within) throws IOException {
			long deadline = System.nanoTime() + within.toNanos();
			byte[] buffer = new byte[65536];
			while (System.nanoTime() < deadline) {
				this.socket.setSoTimeout(500);
				try {
					if (this.in.read(buffer) < 0) {
						return true;
					}
				}
				catch (SocketTimeoutException ex) {
					// still open
				}
				catch (IOException ex) {
					return true; // reset
				}
			}
			return false;
		}

		@Override
		public void close() throws IOException {
			this.socket.close();
		}

	}

}
