package com.tijorihq.tijori.chaos;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Stands between the Razorpay sandbox and Tijori and does to webhooks what networks and gateways do: most are
 * passed on once; some five times (same event id), some held back for seconds so they arrive out of order and
 * after the reconciler, and some are answered 200 and never passed on (lost). A delivery Tijori does not
 * acknowledge (it is down) is answered 502 so the sandbox delivers it again. Decisions come from the run's seed.
 */
final class WebhookRelay implements AutoCloseable {

	private final HttpServer server;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final ScheduledExecutorService later = Executors.newScheduledThreadPool(2);

	private final java.util.concurrent.ExecutorService workers = Executors.newFixedThreadPool(8);

	private final Random random;

	private volatile String target;

	private volatile boolean faulty = true;

	final AtomicInteger received = new AtomicInteger();

	final AtomicInteger duplicated = new AtomicInteger();

	final AtomicInteger delayed = new AtomicInteger();

	final AtomicInteger lost = new AtomicInteger();

	WebhookRelay(long seed) throws IOException {
		this.random = new Random(seed);
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
		this.server.createContext("/", this::relay);
		this.server.setExecutor(this.workers);
		this.server.start();
	}

	int port() {
		return this.server.getAddress().getPort();
	}

	void target(String tijoriBase) {
		this.target = tijoriBase;
	}

	/** Off: every webhook is passed on once, as the settling phase needs. */
	void faulty(boolean faulty) {
		this.faulty = faulty;
	}

	private void relay(HttpExchange exchange) throws IOException {
		byte[] body = exchange.getRequestBody().readAllBytes();
		this.received.incrementAndGet();
		double roll;
		int delayMs;
		synchronized (this.random) {
			roll = this.random.nextDouble();
			delayMs = 2_000 + this.random.nextInt(8_000);
		}
		int status;
		if (!this.faulty || roll < 0.70) {
			status = forward(exchange, body);
		}
		else if (roll < 0.82) {
			this.duplicated.incrementAndGet();
			status = forward(exchange, body);
			for (int i = 0; i < 4; i++) {
				this.later.schedule(() -> forward(exchange, body), 50L * i, TimeUnit.MILLISECONDS);
			}
		}
		else if (roll < 0.94) {
			this.delayed.incrementAndGet();
			this.later.schedule(() -> forward(exchange, body), delayMs, TimeUnit.MILLISECONDS);
			status = 200;
		}
		else {
			this.lost.incrementAndGet();
			status = 200;
		}
		exchange.sendResponseHeaders(status, -1);
		try (OutputStream ignored = exchange.getResponseBody()) {
			// empty answer
		}
	}

	private int forward(HttpExchange exchange, byte[] body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.target + exchange.getRequestURI()))
			.timeout(Duration.ofSeconds(10))
			.POST(HttpRequest.BodyPublishers.ofByteArray(body));
		exchange.getRequestHeaders().forEach((name, values) -> {
			if (name.toLowerCase().startsWith("x-razorpay") || name.equalsIgnoreCase("content-type")) {
				values.forEach(value -> request.header(name, value));
			}
		});
		try {
			HttpResponse<Void> response = this.http.send(request.build(), HttpResponse.BodyHandlers.discarding());
			return response.statusCode() < 300 ? 200 : 502;
		}
		catch (IOException ex) {
			return 502;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return 502;
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.later.shutdownNow();
		this.workers.shutdownNow();
	}

}
