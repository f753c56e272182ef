package com.tijorihq.tijori.storefront;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;

import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The storefront in a real browser against the real app: every click goes through the pages, the public API, the
 * sandbox checkout window and the live status stream. Screenshots of each step land in {@code target/e2e/}. Every
 * wait is bounded, so a status that never changes fails the test.
 */
@IntegrationTest
class StorefrontBrowserTests {

	private static final Path SHOTS = Path.of("target", "e2e");

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final String TEA = "prod_DemoDarjeelingTea001";

	private static final String SAFFRON = "prod_DemoKashmirSaffron01";

	@Autowired
	ApiClients clients;

	private ChromeDriver browser;

	private String scenario;

	private int step;

	// per test, so a machine without Chromium reports each scenario as skipped
	@BeforeEach
	void chromium() throws IOException {
		Chromium.requireInstalled();
		Files.createDirectories(SHOTS);
	}

	@AfterEach
	void closeBrowser() {
		if (this.browser != null) {
			this.browser.quit();
		}
	}

	@Test
	void buyerBrowsesRegistersOrdersPaysAndWatchesTheOrderTurnPaidLive() {
		open("buy", 412, 1100);
		go("/");
		WebElement tea = waitFor(product(TEA));
		assertThat(tea.findElement(By.cssSelector(".price")).getText()).isEqualTo("₹649.00");
		shot("shop");

		WebElement teaQuantity = tea.findElement(By.cssSelector("input.qty"));
		teaQuantity.clear();
		teaQuantity.sendKeys("2");
		click(By.cssSelector("li[data-product-id='" + TEA + "'] button"));
		click(By.cssSelector("li[data-product-id='" + SAFFRON + "'] button"));
		// 2 × ₹649.00 + ₹349.00, added up from paise
		waitForText(By.id("cart-total"), "₹1,647.00");
		shot("cart");

		// not logged in yet: ordering sends the buyer to log in, and an account can be made from there
		click(By.id("place-order"));
		waitForUrl("/login.html?next=%2F");
		shot("sent-to-login");
		click(By.id("switch"));
		waitForUrl("/register.html?next=%2F");
		register("Asha Rao");
		waitFor(By.cssSelector("[data-user-email]"));
		waitForText(By.id("cart-total"), "₹1,647.00");
		shot("registered-cart-kept");

		click(By.id("place-order"));
		String orderUrl = waitForOrderPage();
		waitForStatus("created");
		assertThat(text(By.id("order-total"))).isEqualTo("₹1,647.00");
		assertThat(this.browser.findElements(By.cssSelector("#lines tr"))).hasSize(2);
		shot("order-created");

		// a second tab watches the same order; it must turn paid with no reload
		String buyerTab = this.browser.getWindowHandle();
		this.browser.switchTo().newWindow(WindowType.TAB);
		String watcherTab = this.browser.getWindowHandle();
		this.browser.get(orderUrl);
		waitForStatus("created");
		this.browser.switchTo().window(buyerTab);

		payInSandboxWindow("pay", buyerTab);
		waitForStatus("paid");
		assertThat(text(By.id("status-note"))).contains("received your payment");
		assertThat(this.browser.findElements(By.id("pay"))).isEmpty();
		shot("paid");

		this.browser.switchTo().window(watcherTab);
		WebElement watched = waitForStatus("paid");
		// pushed over Server-Sent Events, not found by polling or a reload
		assertThat(watched.getDomAttribute("data-source")).isEqualTo("sse");
		shot("watcher-turned-paid-live");

		go("/orders.html");
		String orderId = orderUrl.substring(orderUrl.indexOf("id=") + 3);
		WebElement row = waitFor(By.cssSelector("tr[data-order-id='" + orderId + "']"));
		assertThat(row.findElement(By.cssSelector("[data-status]")).getText()).isEqualTo("Paid");
		assertThat(row.getText()).contains("₹1,647.00");
		shot("my-orders");
	}

	@Test
	void failedPaymentShowsFailedAndTheBuyerPaysAgainOnTheSameOrderWithTheKeyboardOnly() {
		open("pay-again", 1280, 900);
		go("/register.html?next=%2F");
		register("Vikram Sethi");
		WebElement tea = waitFor(product(TEA));
		tea.findElement(By.tagName("button")).click();
		waitForText(By.id("cart-total"), "₹649.00");
		click(By.id("place-order"));
		String orderUrl = waitForOrderPage();
		waitForStatus("created");
		shot("order-created");

		String tab = this.browser.getWindowHandle();
		payInSandboxWindow("fail", tab);
		waitForStatus("failed");
		assertThat(text(By.id("status-note"))).contains("did not go through").contains("declined");
		WebElement again = waitFor(By.id("pay"));
		assertThat(again.getText()).isEqualTo("Pay again ₹649.00");
		// focus moved to the button, so Enter alone pays again
		assertThat(this.browser.switchTo().activeElement()).isEqualTo(again);
		shot("failed-pay-again");

		payInSandboxWindow("pay", tab);
		waitForStatus("paid");
		assertThat(this.browser.getCurrentUrl()).isEqualTo(orderUrl);
		shot("paid-after-retry");
	}

	/**
	 * Paytm and PayU take the whole page to their checkout (here: their sandboxes' stand-in pages), which post the
	 * signed result through the browser to Tijori's callback; the server confirms it with the gateway and sends
	 * the browser back to the order page. Paying again after a failure gets a fresh gateway order first.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "paytm", "payu" })
	void buyerPicksPaytmOrPayuFailsThenPaysAgainOnTheGatewaysPageAndComesBackToAPaidOrder(String gateway) {
		open("buy-" + gateway, 1280, 900);
		go("/register.html?next=%2F");
		register("Nisha " + gateway);
		waitFor(product(TEA)).findElement(By.tagName("button")).click();
		waitForText(By.id("cart-total"), "₹649.00");
		click(By.id("gateway-" + gateway));
		shot("picked-" + gateway);
		click(By.id("place-order"));
		waitForOrderPage();
		waitForStatus("created");

		// a declined payment: back on the order page as failed; paying again is a new gateway order, same order
		String orderUrl = this.browser.getCurrentUrl();
		payOnGatewayPage(gateway, "fail");
		waitForStatus("failed");
		assertThat(text(By.id("status-note"))).contains("did not go through").contains("pay again");
		assertThat(waitFor(By.id("pay")).getText()).isEqualTo("Pay again ₹649.00");
		shot("failed-" + gateway);

		payOnGatewayPage(gateway, "pay");
		waitForStatus("paid");
		assertThat(this.browser.getCurrentUrl()).isEqualTo(orderUrl);
		assertThat(text(By.id("facts"))).containsIgnoringCase(gateway);
		assertThat(this.browser.findElements(By.cssSelector("#payments [data-payment-status='captured']"))).hasSize(1);
		assertThat(this.browser.findElements(By.cssSelector("#payments [data-payment-status='failed']"))).hasSize(1);
		shot("paid-" + gateway);
	}

	@Test
	void loggedOutVisitorIsSentToLogInAndComesBackWhereTheyWere() {
		open("login", 412, 900);
		go("/register.html");
		String email = register("Meera Iyer");
		waitFor(By.id("logout")).click();
		waitFor(By.id("login-link"));

		go("/orders.html");
		waitForUrl("/login.html?next=%2Forders.html");
		shot("sent-to-login");

		fill("email", email);
		fill("password", "wrong-password-1");
		click(By.cssSelector("button[type=submit]"));
		WebElement message = waitFor(By.cssSelector("#message.message-error"));
		assertThat(message.getText()).isNotBlank();
		shot("wrong-password");

		fill("password", "correct-horse-battery");
		click(By.cssSelector("button[type=submit]"));
		waitForUrl("/orders.html");
		waitFor(By.cssSelector("#empty:not([hidden])"));
		assertThat(text(By.cssSelector("[data-user-email]"))).isEqualTo("Hi, Meera Iyer");
		shot("back-on-my-orders");
	}

	@Test
	void aNextParameterThatLeavesTheSiteIsIgnoredAfterLogin() {
		String email = "e2e-" + UUID.randomUUID() + "@example.com";
		this.clients.anonymous()
			.post("/api/auth/register", java.util.Map.of("email", email, "password", "correct-horse-battery", "name",
					"Nisha Rao"))
			.expectStatus()
			.isCreated();
		open("next", 1280, 900);
		// each as the raw query value; the first is the issue's: "/", a tab, "/evil.example"
		for (String next : new String[] { "%2F%09%2Fevil.example", "%2F%0A%2Fevil.example", "%2F%2Fevil.example",
				"%2F%5Cevil.example", "%2F.%2F%2Fevil.example", "https%3A%2F%2Fevil.example%2F",
				"javascript%3Aalert(1)", "%2F%2F%09evil.example", "%2F%00%2Fevil.example" }) {
			this.browser.manage().deleteAllCookies();
			go("/login.html?next=" + next);
			fill("email", email);
			fill("password", "correct-horse-battery");
			click(By.cssSelector("button[type=submit]"));
			new WebDriverWait(this.browser, WAIT).withMessage("log-in with next=" + next + " never left the page")
				.until(driver -> !driver.getCurrentUrl().contains("/login.html"));
			waitFor(By.cssSelector("[data-user-email]"));
			assertThat(this.browser.getCurrentUrl()).as("after log-in with next=%s", next)
				.isEqualTo(this.clients.baseUrl() + "/");
		}
		shot("stayed-on-the-site");

		// a path on this site, with its query, is still where the buyer returns
		this.browser.manage().deleteAllCookies();
		go("/login.html?next=%2Forders.html%3Fpage%3D0");
		fill("email", email);
		fill("password", "correct-horse-battery");
		click(By.cssSelector("button[type=submit]"));
		waitForUrl("/orders.html?page=0");
	}

	@Test
	void sessionSurvivesAPageReloadAndServerErrorsAreShownInPlainWords() {
		open("session", 1280, 900);
		go("/register.html");
		String email = register("Kabir Khan");
		waitFor(By.cssSelector("[data-user-email]"));
		this.browser.navigate().refresh();
		assertThat(waitFor(By.cssSelector("[data-user-email]")).getDomAttribute("data-user-email")).isEqualTo(email);
		go("/orders.html");
		waitFor(By.cssSelector("#empty:not([hidden])"));
		this.browser.navigate().refresh();
		assertThat(this.browser.getCurrentUrl()).endsWith("/orders.html");
		assertThat(waitFor(By.cssSelector("[data-user-email]")).getText()).isEqualTo("Hi, Kabir Khan");
		shot("reloaded-still-logged-in");

		// the same email again: the server's 409 detail appears as a sentence, not a status code
		waitFor(By.id("logout")).click();
		waitFor(By.id("login-link"));
		go("/register.html");
		fill("name", "Someone Else");
		fill("email", email);
		fill("password", "another-password");
		click(By.cssSelector("button[type=submit]"));
		WebElement message = waitFor(By.cssSelector("#message.message-error"));
		assertThat(message.getText()).isNotBlank().doesNotContain("409");
		shot("email-taken");
	}

	// ---- steps ---------------------------------------------------------------------------------------------------

	private void open(String scenario, int width, int height) {
		this.scenario = scenario;
		this.step = 0;
		this.browser = Chromium.start(width, height);
	}

	private void go(String path) {
		this.browser.get(this.clients.baseUrl() + path);
	}

	/** Fills and sends the open registration form; returns the new account's email. */
	private String register(String name) {
		String email = "e2e-" + UUID.randomUUID() + "@example.com";
		waitFor(By.id("name"));
		fill("name", name);
		fill("email", email);
		fill("password", "correct-horse-battery");
		shot("register");
		click(By.cssSelector("button[type=submit]"));
		waitFor(By.cssSelector("[data-user-email]"));
		return email;
	}

	/**
	 * Presses Pay with the keyboard, then in the sandbox checkout window tabs to Pay or Fail and presses Enter; the
	 * window closes itself and hands the result back to the order page.
	 */
	private void payInSandboxWindow(String outcome, String orderTab) {
		Set<String> before = this.browser.getWindowHandles();
		WebElement pay = waitFor(By.id("pay"));
		pay.sendKeys(Keys.ENTER);
		String popup = new WebDriverWait(this.browser, WAIT).until(driver -> driver.getWindowHandles()
			.stream()
			.filter(handle -> !before.contains(handle))
			.findFirst()
			.orElse(null));
		this.browser.switchTo().window(popup);
		WebElement button = waitFor(By.id(outcome));
		shot("sandbox-checkout-" + outcome);
		button.sendKeys(Keys.ENTER);
		new WebDriverWait(this.browser, WAIT).until(driver -> !driver.getWindowHandles().contains(popup));
		this.browser.switchTo().window(orderTab);
	}

	/** Presses Pay on the order page, then Pay or Fail on the gateway sandbox's page that replaces it. */
	private void payOnGatewayPage(String gateway, String outcome) {
		click(By.id("pay"));
		new WebDriverWait(this.browser, WAIT).until(ExpectedConditions.urlContains("/sandbox/" + gateway + "/"));
		WebElement button = waitFor(By.id(outcome));
		shot("sandbox-" + gateway + "-" + outcome);
		button.click();
		new WebDriverWait(this.browser, WAIT).until(ExpectedConditions.urlContains("/order.html?id=ord_"));
	}

	private String waitForOrderPage() {
		new WebDriverWait(this.browser, WAIT).until(ExpectedConditions.urlContains("/order.html?id=ord_"));
		return this.browser.getCurrentUrl();
	}

	private WebElement waitForStatus(String status) {
		return new WebDriverWait(this.browser, WAIT).withMessage("order status never became " + status)
			.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#status[data-status='" + status + "']")));
	}

	private void waitForUrl(String pathAndQuery) {
		new WebDriverWait(this.browser, WAIT).until(ExpectedConditions.urlToBe(this.clients.baseUrl() + pathAndQuery));
	}

	private void waitForText(By locator, String text) {
		new WebDriverWait(this.browser, WAIT).until(ExpectedConditions.textToBe(locator, text));
	}

	private WebElement waitFor(By locator) {
		return new WebDriverWait(this.browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(locator));
	}

	private void click(By locator) {
		WebElement element = new WebDriverWait(this.browser, WAIT)
			.until(ExpectedConditions.elementToBeClickable(locator));
		this.browser.executeScript("arguments[0].scrollIntoView({block: 'center'})", element);
		element.click();
	}

	private void fill(String id, String value) {
		WebElement input = waitFor(By.id(id));
		input.clear();
		input.sendKeys(value);
	}

	private String text(By locator) {
		return this.browser.findElement(locator).getText();
	}

	private static By product(String id) {
		return By.cssSelector("li[data-product-id='" + id + "']");
	}

	private void shot(String name) {
		this.step++;
		Path file = SHOTS.resolve("%s-%02d-%s.png".formatted(this.scenario, this.step, name));
		try {
			Files.write(file, this.browser.getScreenshotAs(OutputType.BYTES));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
