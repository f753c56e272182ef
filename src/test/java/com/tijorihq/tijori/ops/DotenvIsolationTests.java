package com.tijorihq.tijori.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import me.paulschwarz.springdotenv.DotenvConfig;
import me.paulschwarz.springdotenv.DotenvPropertySource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A developer's {@code .env} (live Razorpay keys, an Atlas URI) never reaches {@code ./mvnw verify}: every test JVM
 * finds {@code src/test/resources/.env.properties} first, which points spring-dotenv at a file nothing creates. The
 * proof runs a JVM on the test classpath inside a directory whose {@code .env} sets every documented variable to a
 * hostile value, and builds the environment as the app does (spring-dotenv's own code); as a control the same
 * JVM with spring-dotenv's default settings, the ones the app has outside tests, does read that file.
 */
class DotenvIsolationTests {

	private static final String HOSTILE = "hostile-dotenv-value";

	@TempDir
	Path workingDirectory;

	@Test
	void testJvmsIgnoreAHostileDotenvInTheirWorkingDirectory() throws Exception {
		Set<String> variables = documentedVariables();
		assertThat(variables).contains("MONGODB_URI", "RAZORPAY_KEY_ID", "RAZORPAY_KEY_SECRET", "PAYTM_MID",
				"PAYU_KEY", "SPRING_PROFILES_ACTIVE", "PORT", "MANAGEMENT_SERVER_PORT");
		StringBuilder dotenv = new StringBuilder();
		variables.forEach(name -> dotenv.append(name).append('=').append(HOSTILE).append('\n'));
		Files.writeString(this.workingDirectory.resolve(".env"), dotenv);

		List<String> asInTests = probe(variables, "test-classpath");
		assertThat(asInTests).hasSize(variables.size()).noneMatch(line -> line.contains(HOSTILE));

		List<String> asOutsideTests = probe(variables, "library-defaults");
		assertThat(asOutsideTests).as("the control: spring-dotenv's defaults read this .env")
			.hasSize(variables.size())
			.allMatch(line -> line.endsWith("=" + HOSTILE));
	}

	/** Runs {@link Probe} in the working directory, with none of the variables in its real environment. */
	private List<String> probe(Set<String> variables, String mode) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
			.toString(), "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
				Probe.class.getName(), mode));
		command.addAll(variables);
		ProcessBuilder builder = new ProcessBuilder(command).directory(this.workingDirectory.toFile());
		builder.environment().keySet().removeAll(variables);
		Process process = builder.redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		return output.lines().filter(line -> line.startsWith("probe ")).map(line -> line.substring(6)).toList();
	}

	private static Set<String> documentedVariables() throws IOException {
		Set<String> names = new LinkedHashSet<>();
		Matcher matcher = Pattern.compile("(?m)^([A-Z][A-Z0-9_]*)=").matcher(Files.readString(Path.of(".env.example")));
		while (matcher.find()) {
			names.add(matcher.group(1));
		}
		return names;
	}

	/**
	 * Prints {@code probe NAME=value} for each variable as the environment resolves it once spring-dotenv has added
	 * its property source: configured from the classpath's {@code .env.properties}, as in the app, or with the
	 * library's defaults ({@code ./.env}).
	 */
	static final class Probe {

		public static void main(String[] args) {
			StandardEnvironment environment = new StandardEnvironment();
			if (args[0].equals("test-classpath")) {
				DotenvPropertySource.addToEnvironment(environment);
			}
			else {
				environment.getPropertySources()
					.addAfter(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
							new DotenvPropertySource(new DotenvConfig(new Properties())));
			}
			for (int i = 1; i < args.length; i++) {
				System.out.println("probe " + args[i] + "=" + environment.getProperty(args[i], ""));
			}
		}

	}

}
