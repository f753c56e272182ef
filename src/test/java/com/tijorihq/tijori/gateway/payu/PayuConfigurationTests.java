package com.tijorihq.tijori.gateway.payu;

import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.web.reactive.function.client.WebClient;

import com.tijorihq.tijori.common.Money;
import com.tijorihq.tijori.gateway.BreakerProperties;
import com.tijorihq.tijori.gateway.GatewayOrder;
import com.tijorihq.tijori.gateway.GatewayOrderRequest;
import com.tijorihq.tijori.gateway.GatewayPayment;
import com.tijorihq.tijori.gateway.GatewayRefund;
import com.tijorihq.tijori.gateway.payu.PayuGateway.PayuMode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** Modes, form sanitising and status mapping, without the application. */
class PayuConfigurationTests {

	private static PayuProperties properties(String key, String salt) {
		return new PayuProperties(key, salt, "https://test.payu.in/_payment",
				"https://test.payu.in/merchant/postservice?form=2", Duration.ofSeconds(10), Duration.ofSeconds(3),
				Duration.ofSeconds(5), new BreakerProperties(50, 20, 10, Duration.ofSeconds(10)),
				new PayuProperties.Sandbox("sbxKey", "sbx_salt"));
	}

	@Test
	void neitherKeyNorSaltMeansTheSandboxWithARelativeFormAction() {
		PayuMode mode = PayuConfiguration.resolve(properties("", " "), false, () -> "http://127.0.0.1:1/x");
		assertThat(mode.sandbox()).isTrue();
		assertThat(mode.key()).isEqualTo("sbxKey");
		assertThat(mode.paymentUrl()).isEqualTo("/sandbox/payu/_payment");
		assertThat(mode.apiUrl().get()).isEqualTo("http://127.0.0.1:1/x");
		assertThat(mode.toString()).doesNotContain("sbx_salt");
	}

	@Test
	void halfConfiguredCredentialsNameTheMissingVariable() {
		assertThatIllegalStateException().isThrownBy(() -> PayuConfiguration.resolve(properties("k", ""), true, null))
			.withMessageContaining("PAYU_SALT");
		assertThatIllegalStateException().isThrownBy(() -> PayuConfiguration.resolve(properties("", "s"), true, null))
			.withMessageContaining("PAYU_KEY");
	}

	@Test
	void liveNeedsAPublicUrlForTheCallbacks() {
		assertThatIllegalStateException()
			.isThrownBy(() -> PayuConfiguration.resolve(properties("liveKey", "liveSalt"), false, null))
			.withMessageContaining("TIJORI_PUBLIC_URL");
		PayuMode live = PayuConfiguration.resolve(properties("liveKey", "liveSalt"), true, null);
		assertThat(live.sandbox()).isFalse();
		assertThat(live.paymentUrl()).isEqualTo("https://test.payu.in/_payment");
		assertThat(live.apiUrl().get()).isEqualTo("https://test.payu.in/merchant/postservice?form=2");
		assertThat(properties("liveKey", "liveSalt").toString()).doesNotContain("liveSalt");
	}

	@Test
	void theFormIsSanitisedSignedAndCarriesNoSecret() {
		PayuMode mode = new PayuMode(false, "KEY1", "SALT1", "https://test.payu.in/_payment", () -> "unused");
		PayuProperties properties = properties("KEY1", "SALT1");
		PayuGateway gateway = new PayuGateway(mode, WebClient.create(),
				PayuConfiguration.circuitBreaker(properties, new SimpleMeterRegistry()), properties,
				new com.tijorihq.tijori.gateway.CallbackUrlsFixture().absolute("https://shop.example.com"),
				new ObjectMapper(), new SimpleMeterRegistry());
		GatewayOrder order = gateway
			.createOrder(new GatewayOrderRequest(Money.inr(1_000), "ord_abcdefghij0123456789",
					new GatewayOrderRequest.Customer("usr_1", "Asha | \u0000Rao\n", "a".repeat(60) + "@example.com"),
					"Tea × 2 | Mug"))
			.block(Duration.ofSeconds(5));
		Map<String, String> checkout = order.checkout();
		assertThat(order.id()).isEqualTo("ord_abcdefghij0123456789");
		assertThat(order.amount()).isEqualTo(Money.inr(1_000));
		assertThat(checkout).containsEntry("action", "https://test.payu.in/_payment")
			.containsEntry("amount", "10.00")
			.containsEntry("firstname", "Asha Rao")
			.containsEntry("productinfo", "Tea × 2 Mug")
			.containsEntry("email", PayuGateway.FALLBACK_EMAIL)
			.containsEntry("surl", "https://shop.example.com/api/payments/payu/callback")
			.containsEntry("udf1", "ord_abcdefghij0123456789");
		assertThat(checkout.values()).noneMatch(value -> value.contains("SALT1"));
		assertThat(PayuHash.verifyRequest(checkout, "SALT1")).isTrue();
	}

	@Test
	void sanitisingCutsToPayusLengthsAndFallsBack() {
		assertThat(PayuGateway.clean(null, 100, "Tijori order")).isEqualTo("Tijori order");
		assertThat(PayuGateway.clean(" | \t ", 60, "Buyer")).isEqualTo("Buyer");
		assertThat(PayuGateway.clean("x".repeat(150), 100, "")).hasSize(100);
		assertThat(PayuGateway.email("asha@example.com")).isEqualTo("asha@example.com");
		assertThat(PayuGateway.email("not an email")).isEqualTo(PayuGateway.FALLBACK_EMAIL);
	}

	@Test
	void mapsPayuStatusesExhaustively() {
		assertThat(PayuGateway.paymentStatus("success")).isEqualTo(GatewayPayment.Status.CAPTURED);
		assertThat(PayuGateway.paymentStatus("failure")).isEqualTo(GatewayPayment.Status.FAILED);
		assertThat(PayuGateway.paymentStatus("pending")).isEqualTo(GatewayPayment.Status.CREATED);
		assertThat(PayuGateway.paymentStatus("something new")).isEqualTo(GatewayPayment.Status.CREATED);
		assertThat(PayuGateway.refundStatus("success")).isEqualTo(GatewayRefund.Status.PROCESSED);
		assertThat(PayuGateway.refundStatus("queued")).isEqualTo(GatewayRefund.Status.PENDING);
		assertThat(PayuGateway.refundStatus("failure")).isEqualTo(GatewayRefund.Status.FAILED);
		assertThat(PayuGateway.refundStatus("??")).isNull();
		assertThat(PayuGateway.paymentId("403993715521937565")).isEqualTo("403993715521937565");
		assertThat(PayuGateway.paymentId("40-39/9")).matches("payu_[0-9a-f]{40}");
	}

}
