package com.tijorihq.tijori.embedded;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.tijorihq.tijori.TijoriApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A write acknowledged just before {@code kill -9} is still there after a restart: Tijori runs as a separate JVM on
 * the embedded MongoDB, registers a user (user + session documents), is killed with SIGKILL, and a new JVM on the
 * same data directory still knows the user and the session.
 */
class HardStopTests {

	@TempDir
	Path dataDir;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@Test
	void acknowledgedWritesSurviveKillDashNine() throws Exception {
		int port = freePort();
		Process first = startTijori(port, "first");
		String session;
		try {
			HttpResponse<String> registered = this.http.send(HttpRequest.newBuilder(uri(port, "/api/auth/register"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers
					.ofString("{\"email\":\"crash@example.com\",\"password\":\"password-123\",\"name\":\"Crash\"}"))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(registered.statusCode()).isEqualTo(201);
			session = registered.headers()
				.allValues("set-cookie")
				.stream()
				.filter(c -> c.startsWith("SESSION="))
				.map(c -> c.substring("SESSION=".length(), c.indexOf(';')))
				.findFirst()
				.orElseThrow();
		}
		finally {
			first.destroyForcibly(); // SIGKILL: no shutdown hooks, no clean close of the H2 store
			first.waitFor(30, TimeUnit.SECONDS);
		}

		Process second = startTijori(port, "second");
		try {
			HttpResponse<String> me = this.http.send(HttpRequest.newBuilder(uri(port, "/api/auth/me"))
				.header("Cookie", "SESSION=" + session)
				.GET()
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
			assertThat(me.body()).contains("crash@example.com");
			HttpResponse<String> login = this.http.send(HttpRequest.newBuilder(uri(port, "/api/auth/login"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers
					.ofString("{\"email\":\"crash@example.com\",\"password\":\"password-123\"}"))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(login.statusCode()).isEqualTo(200);
		}
		finally {
			second.destroyForcibly();
			second.waitFor(30, TimeUnit.SECONDS);
		}
	}

	private Process startTijori(int port, String name) throws IOException, InterruptedException {
		Path log = Path.of("target", "hard-stop-" + name + ".log");
		Files.createDirectories(log.getParent());
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-XX:TieredStopAtLevel=1", "-Xshare:off", "-cp", System.getProperty("java.class.path"),
				TijoriApplication.class.getName(), "--server.port=" + port, "--tijori.embedded-mongo.port=0",
				"--tijori.embedded-mongo.data-dir=" + this.dataDir, "--management.server.port=0",
				"--logging.level.root=warn"));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
		while (Instant.now().isBefore(deadline)) {
			assertThat(process.isAlive()).as("Tijori exited early; see " + log.toAbsolutePath()).isTrue();
			try {
				HttpResponse<String> ready = this.http.send(
						HttpRequest.newBuilder(uri(port, "/readyz")).timeout(Duration.ofSeconds(2))
							.GET().build(),
						HttpResponse.BodyHandlers.ofString());
				if (ready.statusCode() == 200) {
					return process;
				}
			}
			catch (IOException notYet) {
				// still starting
			}
			Thread.sleep(200);
		}
		process.destroyForcibly();
		throw new AssertionError("Tijori did not become ready; see " + log.toAbsolutePath());
	}

	private static URI uri(int port, String path) {
		return URI.create("http://127.0.0.1:" + port + path);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
