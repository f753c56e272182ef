package com.tijorihq.tijori.checkout;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static com.tijorihq.tijori.checkout.OrderStatus.ATTEMPTED;
import static com.tijorihq.tijori.checkout.OrderStatus.CREATED;
import static com.tijorihq.tijori.checkout.OrderStatus.EXPIRED;
import static com.tijorihq.tijori.checkout.OrderStatus.FAILED;
import static com.tijorihq.tijori.checkout.OrderStatus.PAID;
import static com.tijorihq.tijori.checkout.OrderStatus.PARTIALLY_REFUNDED;
import static com.tijorihq.tijori.checkout.OrderStatus.REFUNDED;
import static org.assertj.core.api.Assertions.assertThat;

/** Every (from, to) pair of both machines, allowed or refused exactly as API.md states. */
class OrderStateMachineTests {

	private static final Set<String> ALLOWED_ORDER = Set.of("CREATED>ATTEMPTED", "ATTEMPTED>PAID", "PAID>PARTIALLY_REFUNDED",
			"PARTIALLY_REFUNDED>REFUNDED", "PAID>REFUNDED", "CREATED>FAILED", "ATTEMPTED>FAILED", "FAILED>ATTEMPTED",
			"CREATED>EXPIRED", "ATTEMPTED>EXPIRED", "FAILED>EXPIRED",
			// a captured payment always wins over every pre-payment state
			"CREATED>PAID", "FAILED>PAID", "EXPIRED>PAID");

	private static final Set<String> ALLOWED_PAYMENT = Set.of("CREATED>AUTHORIZED", "AUTHORIZED>CAPTURED",
			"CAPTURED>REFUNDED", "CREATED>FAILED", "AUTHORIZED>FAILED", "FAILED>AUTHORIZED",
			// several steps reported at once, or an authorisation refunded without capture
			"CREATED>CAPTURED", "FAILED>CAPTURED", "AUTHORIZED>REFUNDED");

	static Stream<Arguments> orderPairs() {
		return EnumSet.allOf(OrderStatus.class)
			.stream()
			.flatMap(from -> EnumSet.allOf(OrderStatus.class).stream().map(to -> Arguments.of(from, to)));
	}

	static Stream<Arguments> paymentPairs() {
		return EnumSet.allOf(PaymentStatus.class)
			.stream()
			.flatMap(from -> EnumSet.allOf(PaymentStatus.class).stream().map(to -> Arguments.of(from, to)));
	}

	@ParameterizedTest(name = "order {0} -> {1}")
	@MethodSource("orderPairs")
	void orderTransitionIsAllowedExactlyAsSpecified(OrderStatus from, OrderStatus to) {
		boolean expected = ALLOWED_ORDER.contains(from + ">" + to);
		assertThat(OrderStateMachine.canMove(from, to)).isEqualTo(expected);
		assertThat(OrderStateMachine.from(to).contains(from)).isEqualTo(expected);
	}

	@ParameterizedTest(name = "payment {0} -> {1}")
	@MethodSource("paymentPairs")
	void paymentTransitionIsAllowedExactlyAsSpecified(PaymentStatus from, PaymentStatus to) {
		boolean expected = ALLOWED_PAYMENT.contains(from + ">" + to);
		assertThat(OrderStateMachine.canMove(from, to)).isEqualTo(expected);
		assertThat(OrderStateMachine.fromOrSame(to).contains(from)).isEqualTo(expected || from == to);
	}

	@ParameterizedTest(name = "nothing leaves {0} except forward")
	@MethodSource("terminalish")
	void paidAndRefundStatesNeverGoBack(OrderStatus settled) {
		for (OrderStatus pre : EnumSet.of(CREATED, ATTEMPTED, FAILED, EXPIRED)) {
			assertThat(OrderStateMachine.canMove(settled, pre)).isFalse();
		}
	}

	static Stream<OrderStatus> terminalish() {
		return Stream.of(PAID, PARTIALLY_REFUNDED, REFUNDED);
	}

}
