package com.tijorihq.tijori.storefront;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium driven through Debian's chromedriver (packages {@code chromium} and {@code chromium-driver}):
 * the two come from the same source package, so their versions always match, and Selenium is handed both paths so
 * its Selenium Manager never tries to download anything. The flags are the ones known to work on a machine with
 * no internet access.
 */
final class Chromium {

	static final Path BROWSER = Path.of(env("TIJORI_E2E_CHROMIUM", "/usr/bin/chromium"));

	static final Path DRIVER = Path.of(env("TIJORI_E2E_CHROMEDRIVER", "/usr/bin/chromedriver"));

	private static volatile boolean warned;

	private Chromium() {
	}

	/**
	 * Skips the browser tests, loudly, when Chromium is missing; under CI ({@code CI=true}) a missing browser is a
	 * failure instead, so a green CI run always includes them.
	 */
	static void requireInstalled() {
		if (Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER)) {
			return;
		}
		String message = "Storefront browser tests SKIPPED: no Chromium at " + BROWSER + " or no chromedriver at "
				+ DRIVER + ". Install Debian's packages: apt-get install -y chromium chromium-driver";
		if ("true".equals(env("CI", "").toLowerCase(Locale.ROOT))) {
			Assertions.fail(message + " (CI=true: a skipped browser test is a failure; .ci/install installs them)");
		}
		if (!warned) {
			warned = true;
			System.err.println();
			System.err.println("*** " + message + " ***");
			System.err.println();
		}
		Assumptions.abort(message);
	}

	/** A fresh headless browser (new empty profile) with a window of the given size in CSS pixels. */
	static ChromeDriver start(int width, int height) {
		Path profile;
		try {
			profile = Files.createTempDirectory("tijori-e2e-chromium");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		ChromeOptions options = new ChromeOptions();
		options.setBinary(BROWSER.toFile());
		options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
				"--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--disable-dev-shm-usage", "--disable-extensions", "--disable-default-apps", "--lang=en-IN",
				"--window-size=" + width + "," + height, "--user-data-dir=" + profile);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
			.usingAnyFreePort()
			.withTimeout(Duration.ofSeconds(30))
			.build();
		ChromeDriver driver = new ChromeDriver(service, options);
		driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20)).scriptTimeout(Duration.ofSeconds(10));
		return driver;
	}

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value == null || value.isBlank()) ? fallback : value;
	}

}
