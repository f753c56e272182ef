package com.tijorihq.tijori.gateway;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;

import com.tijorihq.tijori.common.Money;
import com.tijorihq.tijori.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same refusal answers the same status and code whichever gateway refuses: every adapter of the running app
 * (against its sandbox over HTTP) is asked for the same order in dollars.
 */
@IntegrationTest
class GatewayRefusalTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@Autowired
	PaymentGateways gateways;

	@Test
	void everyGatewayRefusesAnOrderInAnotherCurrencyAlikeAndMakesNothing() {
		assertThat(this.gateways.enabled()).extracting(PaymentGateway::name)
			.containsExactly("razorpay", "paytm", "payu");
		for (PaymentGateway gateway : this.gateways.enabled()) {
			String receipt = "ord" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
			GatewayOrderRequest dollars = new GatewayOrderRequest(new Money(4_999, "USD"), receipt,
					new GatewayOrderRequest.Customer("usr_1", "Asha Rao", "asha@example.com"), "Tea");
			StepVerifier.create(gateway.createOrder(dollars))
				.expectErrorSatisfies(ex -> assertThat(ex).as(gateway.name())
					.isInstanceOfSatisfying(GatewayRejectedException.class, rejected -> {
						assertThat(rejected.status()).isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY);
						assertThat(rejected.code()).isEqualTo(GatewayRejectedException.CURRENCY_NOT_SUPPORTED)
							.isEqualTo("currency_not_supported");
						assertThat(rejected.getMessage()).contains("INR only");
					}))
				.verify(WAIT);
			// refused before any call: the gateway knows no order and no payment under this receipt
			StepVerifier.create(gateway.findOrderByReceipt(receipt)).as(gateway.name()).expectComplete().verify(WAIT);
			// (Razorpay's order ids are its own, so it answers "no such order"; Paytm and PayU use the receipt)
			StepVerifier
				.create(gateway.fetchOrderPayments(receipt)
					.onErrorResume(GatewayRejectedException.class,
							ex -> (ex.status() == HttpStatus.NOT_FOUND) ? Mono.just(List.of()) : Mono.error(ex)))
				.as(gateway.name())
				.assertNext(payments -> assertThat(payments).isEmpty())
				.expectComplete()
				.verify(WAIT);
		}
	}

}
