package com.tijorihq.tijori.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.fail;

/**
 * Money invariants under chaos (issue 20). Tijori runs in a child JVM against a MongoDB and the three gateway
 * sandboxes in JVMs of their own ({@link ChaosCluster}); dozens of buyers order, pay, return or abandon, retry
 * with the same Idempotency-Key, and an admin refunds ({@link Shop}), while Tijori is killed with SIGKILL at
 * random moments, the sandboxes' APIs slow down, fail, hang and lose refund answers, and Razorpay's webhooks are
 * duplicated five times, delayed past the reconciler, reordered or lost ({@link WebhookRelay}). When the dust
 * settles and the reconciler has had its say, the books of Tijori and of the gateways must agree ({@link Books}).
 *
 * <p>
 * Short form by default (part of {@code ./mvnw verify}); the long form and replaying a failure:
 * {@code ./mvnw -B test -Dtest=MoneyInvariantsChaosTests -Dchaos.orders=1000 -Dchaos.crashes=10 -Dchaos.seed=…}.
 * See docs/CHAOS.md.
 */
class MoneyInvariantsChaosTests {

	private static final int ORDERS = Integer.getInteger("chaos.orders", 105);

	private static final int CRASHES = Integer.getInteger("chaos.crashes", 3);

	private static final int BUYERS = Integer.getInteger("chaos.buyers", 40);

	/** {@code -Dchaos.faults=false}: crashes only, no gateway or webhook faults (to tell which one breaks what). */
	private static final boolean FAULTS = Boolean.parseBoolean(System.getProperty("chaos.faults", "true"));

	private static final Duration SETTLE = Duration.ofSeconds(Long.getLong("chaos.settle-seconds", 45));

	@TempDir
	Path dataDir;

	@Test
	void booksBalanceAfterCrashesAndGatewayFaults() throws Exception {
		long seed = Long.getLong("chaos.seed", new Random().nextLong());
		String replay = "./mvnw -B test -Dtest=MoneyInvariantsChaosTests -Dchaos.seed=" + seed + " -Dchaos.orders="
				+ ORDERS + " -Dchaos.crashes=" + CRASHES + " -Dchaos.buyers=" + BUYERS + (FAULTS ? "" : " -Dchaos.faults=false");
		System.out.println("[chaos] seed " + seed + ": " + ORDERS + " orders, " + CRASHES + " crashes, " + BUYERS
				+ " buyers; replay: " + replay);
		Instant started = Instant.now();
		Random chaos = new Random(seed);
		try (WebhookRelay relay = new WebhookRelay(seed ^ 0x5eed);
				ChaosCluster cluster = new ChaosCluster(this.dataDir, relay.port());
				MongoClient mongo = MongoClients.create(cluster.mongoUri())) {
			relay.target(cluster.tijori());
			relay.faulty(FAULTS);
			cluster.start();
			System.out.println("[chaos] cluster up in " + Duration.between(started, Instant.now()).toSeconds() + "s");
			Shop shop = setUpShop(cluster, seed);
			double[] crashAt = new double[CRASHES];
			for (int i = 0; i < CRASHES; i++) {
				crashAt[i] = 0.05 + 0.85 * chaos.nextDouble();
			}
			Arrays.sort(crashAt);
			ExecutorService buyers = Executors.newFixedThreadPool(BUYERS);
			List<Future<?>> running = new ArrayList<>();
			for (int b = 0; b < BUYERS; b++) {
				int buyer = b;
				running.add(buyers.submit(() -> shop.buyer(buyer, buyer, BUYERS, ORDERS)));
			}
			Faults faults = new Faults(cluster.sandbox(), chaos);
			int crashes = 0;
			while (running.stream().anyMatch(f -> !f.isDone())) {
				if (crashes < CRASHES && shop.ordersDone.get() >= crashAt[crashes] * ORDERS) {
					Thread.sleep(chaos.nextInt(800));
					cluster.killTijori();
					crashes++;
					System.out.println("[chaos] kill -9 #" + crashes + " after " + shop.ordersDone.get() + " orders");
					Thread.sleep(chaos.nextInt(1_500));
					cluster.startTijori();
				}
				if (FAULTS) {
					faults.step();
				}
				Thread.sleep(250);
			}
			buyers.shutdown();
			buyers.awaitTermination(10, TimeUnit.SECONDS);
			for (Future<?> buyer : running) {
				buyer.get(); // a buyer that threw is a bug in the harness, not a finding
			}
			while (crashes < CRASHES) {
				// the buyers finished before the last crash points: crash while the reconciler and webhooks work
				cluster.killTijori();
				crashes++;
				System.out.println("[chaos] kill -9 #" + crashes + " after the load");
				cluster.startTijori();
			}
			faults.clear();
			relay.faulty(false);
			System.out.println("[chaos] load done in " + Duration.between(started, Instant.now()).toSeconds() + "s, "
					+ crashes + " crashes; scenarios " + new TreeMap<>(shop.scenarios) + "; webhooks relayed "
					+ relay.received + " (x5 " + relay.duplicated + ", delayed " + relay.delayed + ", lost "
					+ relay.lost + "); faults " + faults.applied);
			Map<String, List<String>> violations = settle(cluster, shop, mongo);
			Books books = Books.read(shop.adminClient(), cluster.tijori(), mongo);
			System.out.println("[chaos] settled after " + Duration.between(started, Instant.now()).toSeconds()
					+ "s: " + books.orders.size() + " orders, " + books.gatewayPayments.stream().filter(p -> p.captured()).count()
					+ " captured payments, " + shop.refunds + " admin refunds");
			if (books.orders.size() + unanswered(shop) < ORDERS) {
				fail("the run fell short: %d orders (seed %d; replay: %s)", books.orders.size(), seed, replay);
			}
			if (!violations.isEmpty()) {
				cluster.dumpForPostMortem(violations.toString(), mongo);
				StringBuilder report = new StringBuilder("Money invariants violated (seed " + seed + ")\n");
				violations.forEach((invariant, details) -> report.append("- ")
					.append(invariant)
					.append(": ")
					.append(details.size())
					.append("\n    ")
					.append(String.join("\n    ", details.subList(0, Math.min(20, details.size()))))
					.append('\n'));
				report.append("replay: ").append(replay).append("\nlogs: target/chaos/");
				fail(report.toString());
			}
		}
	}

	/** Keys whose order was never created (reported by {@link Books} as breaking "one order per key"). */
	private static long unanswered(Shop shop) {
		return shop.ordersByKey.values().stream().filter(Set::isEmpty).count();
	}

	/** An admin, a few products; returns the shop the buyers use. */
	private static Shop setUpShop(ChaosCluster cluster, long seed) {
		Shop bootstrap = new Shop(cluster.tijori(), cluster.sandbox(), seed, List.of());
		bootstrap.loginAdmin();
		List<String> products = new ArrayList<>();
		for (long price : new long[] { 24_900, 49_900, 129_900 }) {
			Http.Answer product = bootstrap.adminClient()
				.json("POST", cluster.tijori() + "/api/products", Map.of("name", "Chaos tea " + price, "price",
						Map.of("amount", price, "currency", "INR")), Map.of());
			if (product.status() != 201) {
				throw new IllegalStateException("creating a product: " + product);
			}
			products.add(product.json().path("id").asText());
		}
		Shop shop = new Shop(cluster.tijori(), cluster.sandbox(), seed, products);
		shop.loginAdmin();
		return shop;
	}

	/**
	 * Gives the reconciler, the webhook processor and the sandboxes' deliveries time to converge: the books are
	 * read every few seconds until they balance or {@link #SETTLE} has passed; then what is still wrong is the
	 * finding.
	 */
	private static Map<String, List<String>> settle(ChaosCluster cluster, Shop shop, MongoClient mongo)
			throws InterruptedException {
		Http sandbox = new Http(false);
		Instant deadline = Instant.now().plus(SETTLE);
		Map<String, List<String>> violations;
		do {
			Thread.sleep(3_000);
			// the bank pays refunds the sandbox left pending (pendingRefunds fault)
			sandbox.json("POST", cluster.sandbox() + "/sandbox/razorpay/_process_refunds", null,
					ChaosCluster.SANDBOX_CONTROL);
			violations = Books.read(shop.adminClient(), cluster.tijori(), mongo).violations(shop.ordersByKey);
		}
		while (!violations.isEmpty() && Instant.now().isBefore(deadline));
		return violations;
	}

	/** Gateway faults, switched on for a few seconds at a time on one sandbox. */
	static final class Faults {

		private static final List<String> GATEWAYS = Shop.GATEWAYS;

		private final String sandbox;

		private final Random random;

		private final Http http = new Http(false);

		private final Map<String, Integer> applied = new TreeMap<>();

		private Instant clearAt = Instant.MIN;

		private String faulted;

		Faults(String sandbox, Random random) {
			this.sandbox = sandbox;
			this.random = random;
		}

		void step() {
			if (this.faulted != null && Instant.now().isAfter(this.clearAt)) {
				this.http.json("DELETE", this.sandbox + "/sandbox/" + this.faulted + "/_faults", null,
					ChaosCluster.SANDBOX_CONTROL);
				this.faulted = null;
				this.clearAt = Instant.now().plusMillis(3_000 + this.random.nextInt(3_000));
				return;
			}
			if (this.faulted != null || Instant.now().isBefore(this.clearAt)) {
				return;
			}
			String gateway = GATEWAYS.get(this.random.nextInt(GATEWAYS.size()));
			int kind = this.random.nextInt(gateway.equals("razorpay") ? 9 : 5);
			Map<String, Object> fault = switch (kind) {
				case 0 -> Map.of("latencyMs", 1_000 + this.random.nextInt(3_000));
				case 1 -> Map.of("errorRate", 0.2 + 0.6 * this.random.nextDouble());
				case 2 -> Map.of("hang", true);
				case 3 -> Map.of("loseRefundAnswers", true);
				case 4 -> Map.of("errorRate", 1.0);
				case 5 -> Map.of("webhooks", false);
				case 6 -> Map.of("duplicateWebhooks", true, "outOfOrderWebhooks", true);
				case 7 -> Map.of("pendingRefunds", true);
				default -> Map.of("latencyMs", 500, "errorRate", 0.3, "loseRefundAnswers", true);
			};
			Http.Answer answer = this.http.json("PUT", this.sandbox + "/sandbox/" + gateway + "/_faults", fault,
					ChaosCluster.SANDBOX_CONTROL);
			if (!answer.ok()) {
				throw new IllegalStateException("PUT _faults " + fault + ": " + answer);
			}
			this.applied.merge(gateway + fault.keySet(), 1, Integer::sum);
			this.faulted = gateway;
			this.clearAt = Instant.now().plusMillis(1_000 + this.random.nextInt(3_000));
		}

		void clear() {
			for (String gateway : GATEWAYS) {
				this.http.json("DELETE", this.sandbox + "/sandbox/" + gateway + "/_faults", null,
					ChaosCluster.SANDBOX_CONTROL);
			}
		}

		@Override
		public String toString() {
			return this.applied.toString();
		}

	}

}
