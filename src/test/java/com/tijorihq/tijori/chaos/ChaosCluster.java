package com.tijorihq.tijori.chaos;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.tijorihq.tijori.TijoriApplication;

/**
 * The three processes of a chaos run, each a JVM forked from the test classpath (as {@code HardStopTests} does,
 * so {@code verify} needs no packaged jar): MongoDB ({@link ChaosMongo}), the gateway sandboxes (the
 * {@code sandbox} profile) and Tijori, which is pointed at the sandboxes as if they were the real gateways and is
 * the only one ever killed. Logs go to {@code target/chaos/}.
 */
final class ChaosCluster implements AutoCloseable {

	static final String ADMIN_EMAIL = "chaos-admin@example.com";

	static final String ADMIN_PASSWORD = "chaos-admin-password-1";

	static final String RAZORPAY_KEY_ID = "rzp_test_sandboxTijori1";

	static final String RAZORPAY_KEY_SECRET = "tijori_sandbox_secret";

	/** What the sandbox's control endpoints ({@code _faults}, ...) need: its key, as the operator would send. */
	static final java.util.Map<String, String> SANDBOX_CONTROL = java.util.Map.of("X-Sandbox-Key", RAZORPAY_KEY_SECRET);

	static final String WEBHOOK_SECRET = "whsec_chaos_shared";

	final int mongoPort = freePort();

	final int sandboxPort = freePort();

	final int tijoriPort = freePort();

	private final Path dataDir;

	private final Path logDir = Path.of("target", "chaos");

	private final int relayPort;

	private Process mongo;

	private Process sandbox;

	private Process tijori;

	private int tijoriStarts;

	ChaosCluster(Path dataDir, int relayPort) {
		this.dataDir = dataDir;
		this.relayPort = relayPort;
	}

	String tijori() {
		return "http://127.0.0.1:" + this.tijoriPort;
	}

	String sandbox() {
		return "http://127.0.0.1:" + this.sandboxPort;
	}

	String mongoUri() {
		return "mongodb://127.0.0.1:" + this.mongoPort + "/?retryWrites=false";
	}

	void start() throws Exception {
		Files.createDirectories(this.logDir);
		try (var old = Files.list(this.logDir)) { // a previous run's logs would mislead a post-mortem
			for (Path file : old.toList()) {
				Files.deleteIfExists(file);
			}
		}
		this.mongo = fork("mongo", ChaosMongo.class.getName(), Map.of(),
				List.of(String.valueOf(this.mongoPort), this.dataDir.resolve("mongo").toString()));
		awaitPort(this.mongoPort, this.mongo, "mongo");
		// webhooks keep being re-delivered across a Tijori restart
		this.sandbox = fork("sandbox", TijoriApplication.class.getName(), sandboxEnvironment(),
				List.of("--tijori.sandbox.webhooks.max-attempts=8", "--tijori.sandbox.webhooks.backoff=500ms"));
		startTijori();
		awaitReady(this.sandbox(), this.sandbox, "sandbox");
	}

	/** SIGKILL: no shutdown hooks, no graceful drain, requests in flight are cut. */
	void killTijori() throws InterruptedException {
		this.tijori.destroyForcibly();
		this.tijori.waitFor(30, TimeUnit.SECONDS);
	}

	void startTijori() throws Exception {
		this.tijoriStarts++;
		this.tijori = fork("tijori-" + this.tijoriStarts, TijoriApplication.class.getName(), tijoriEnvironment(),
				List.of("--tijori.reconcile.rest=2s", "--tijori.reconcile.batch=400",
						"--tijori.checkout.event-relay-interval=1s", "--tijori.razorpay.breaker.open-for=2s"));
		awaitReady(tijori(), this.tijori, "tijori-" + this.tijoriStarts);
	}

	private Map<String, String> sandboxEnvironment() {
		return Map.ofEntries(Map.entry("SPRING_PROFILES_ACTIVE", "sandbox"),
				Map.entry("PORT", String.valueOf(this.sandboxPort)), Map.entry("MANAGEMENT_SERVER_PORT", "0"),
				Map.entry("MONGODB_URI", mongoUri()),
				Map.entry("MONGODB_DATABASE", "chaos_sandbox"), Map.entry("RAZORPAY_WEBHOOK_SECRET", WEBHOOK_SECRET),
				Map.entry("TIJORI_SANDBOX_WEBHOOK_URL",
						"http://127.0.0.1:" + this.relayPort + "/api/webhooks/razorpay"),
				Map.entry("TIJORI_SANDBOX_WEBHOOKS", "true"));
	}

	private Map<String, String> tijoriEnvironment() {
		String sandbox = sandbox();
		return Map.ofEntries(Map.entry("PORT", String.valueOf(this.tijoriPort)), Map.entry("MANAGEMENT_SERVER_PORT", "0"),
				Map.entry("MONGODB_URI", mongoUri()), Map.entry("MONGODB_DATABASE", "chaos_tijori"),
				Map.entry("TIJORI_PUBLIC_URL", tijori()), Map.entry("TIJORI_ADMIN_EMAIL", ADMIN_EMAIL),
				Map.entry("TIJORI_ADMIN_PASSWORD", ADMIN_PASSWORD),
				Map.entry("RAZORPAY_KEY_ID", RAZORPAY_KEY_ID), Map.entry("RAZORPAY_KEY_SECRET", RAZORPAY_KEY_SECRET),
				Map.entry("RAZORPAY_WEBHOOK_SECRET", WEBHOOK_SECRET),
				Map.entry("RAZORPAY_API_BASE_URL", sandbox + "/sandbox/razorpay"),
				Map.entry("PAYTM_MID", "TijoriSandbox00000001"), Map.entry("PAYTM_MERCHANT_KEY", "tijori_sbx_key16"),
				Map.entry("PAYTM_BASE_URL", sandbox + "/sandbox/paytm"), Map.entry("PAYU_KEY", "tijoriSbx"),
				Map.entry("PAYU_SALT", "tijori_sandbox_salt"),
				Map.entry("PAYU_PAYMENT_URL", sandbox + "/sandbox/payu/_payment"),
				Map.entry("PAYU_API_URL", sandbox + "/sandbox/payu/merchant/postservice?form=2"),
				Map.entry("TIJORI_GATEWAY_CALL_TIMEOUT", "2s"), Map.entry("TIJORI_GATEWAY_RETRY_AFTER", "1s"),
				Map.entry("TIJORI_LOGIN_MAX_FAILURES_PER_IP", "100000"), Map.entry("TIJORI_MAX_OPEN_ORDERS", "100000"),
				Map.entry("TIJORI_ORDER_RATE", "100000"),
				Map.entry("TIJORI_RECONCILE_INTERVAL", "1s"), Map.entry("TIJORI_RECONCILE_INITIAL_DELAY", "1s"),
				Map.entry("TIJORI_RECONCILE_MIN_AGE", "4s"), Map.entry("TIJORI_RECONCILE_EXPIRE_AFTER", "20s"),
				Map.entry("TIJORI_RECONCILE_LATE_WINDOW", "1h"), Map.entry("TIJORI_RECONCILE_LEASE", "4s"),
				Map.entry("TIJORI_RECONCILE_UNANSWERED_AFTER", "5s"),
				Map.entry("TIJORI_WEBHOOK_RETRY_INTERVAL", "2s"), Map.entry("TIJORI_CPU_THREADS", "2"));
	}

	private Process fork(String name, String main, Map<String, String> environment, List<String> args)
			throws IOException {
		Path log = this.logDir.resolve(name + ".log");
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k", "-Xmx384m", "-Xshare:auto", "-cp",
				System.getProperty("java.class.path"), main));
		command.addAll(args);
		command.add("--logging.level.root=warn");
		command.add("--logging.level.com.tijorihq=info");
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
		builder.environment().putAll(environment);
		return builder.start();
	}

	private static void awaitPort(int port, Process process, String name) throws InterruptedException {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
		while (Instant.now().isBefore(deadline)) {
			if (!process.isAlive()) {
				throw new IllegalStateException(name + " exited early; see target/chaos/" + name + ".log");
			}
			try (Socket socket = new Socket("127.0.0.1", port)) {
				return;
			}
			catch (IOException notYet) {
				Thread.sleep(100);
			}
		}
		throw new IllegalStateException(name + " did not listen on " + port);
	}

	private static void awaitReady(String base, Process process, String name) throws InterruptedException {
		Http http = new Http(false);
		Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
		while (Instant.now().isBefore(deadline)) {
			if (!process.isAlive()) {
				throw new IllegalStateException(name + " exited early; see target/chaos/" + name + ".log");
			}
			if (http.json("GET", base + "/readyz", null, Map.of()).status() == 200) {
				return;
			}
			Thread.sleep(200);
		}
		throw new IllegalStateException(name + " did not become ready; see target/chaos/" + name + ".log");
	}

	/**
	 * For a failed run: Tijori's threads (a stuck sweep shows there) and the stored documents of every order named
	 * in {@code findings}, to {@code target/chaos/}.
	 */
	void dumpForPostMortem(String findings, com.mongodb.reactivestreams.client.MongoClient client) {
		try {
			Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
					String.valueOf(this.tijori.pid()), "Thread.print")
				.redirectErrorStream(true)
				.redirectOutput(this.logDir.resolve("tijori-threads.txt").toFile())
				.start();
			jcmd.waitFor(30, TimeUnit.SECONDS);
			java.util.Set<String> ids = new java.util.TreeSet<>();
			java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("ord_\\w+").matcher(findings);
			while (matcher.find()) {
				ids.add(matcher.group());
			}
			StringBuilder dump = new StringBuilder();
			for (org.bson.Document order : reactor.core.publisher.Flux
				.from(client.getDatabase("chaos_tijori")
					.getCollection("orders")
					.find(com.mongodb.client.model.Filters.in("publicId", ids)))
				.collectList()
				.block(Duration.ofSeconds(30))) {
				dump.append(order.toJson()).append('\n');
			}
			Files.writeString(this.logDir.resolve("orders-dump.json"), dump);
		}
		catch (IOException | RuntimeException ex) {
			System.out.println("[chaos] post-mortem dump failed: " + ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() throws InterruptedException {
		for (Process process : new Process[] { this.tijori, this.sandbox, this.mongo }) {
			if (process != null) {
				process.destroyForcibly();
				process.waitFor(30, TimeUnit.SECONDS);
			}
		}
	}

}
