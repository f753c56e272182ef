package com.tijorihq.tijori.reconciliation;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.tijorihq.tijori.common.Money;
import com.tijorihq.tijori.gateway.GatewayPayment;
import com.tijorihq.tijori.gateway.GatewayRefund;
import com.tijorihq.tijori.reconciliation.Difference.Action;
import com.tijorihq.tijori.reconciliation.Difference.Kind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The classification table, one order at a time, without a gateway. */
class ClassifierTests {

	private static final Money TOTAL = Money.inr(49_900);

	private static final BookedOrder.Attempt ATTEMPT = new BookedOrder.Attempt("razorpay", "order_1");

	@Test
	void agreeingBooksHaveNoDifference() {
		BookedOrder order = paid(List.of(), true);
		assertThat(Classifier.classify(order, answers(List.of(captured("pay_1", 0)), Map.of()))).isEmpty();
	}

	@Test
	void capturedThereOnAnOrderTheReconcilerNoLongerWatchesNeedsAnAdmin() {
		BookedOrder order = new BookedOrder("ord_1", TOTAL, "expired", null, Instant.EPOCH, false, List.of(ATTEMPT),
				List.of(), List.of(), List.of());
		assertThat(Classifier.classify(order, answers(List.of(captured("pay_1", 0)), Map.of())))
			.extracting(Difference::kind, Difference::action)
			.containsExactly(tuple(Kind.CAPTURED_NOT_PAID, Action.ADMIN));
	}

	@Test
	void aRefundPendingHereButProcessedThereIsTheReconcilers() {
		BookedOrder.Refund refund = new BookedOrder.Refund("rfd_1", "rfnd_1", "pay_1", Money.inr(1_000), "pending",
				false);
		BookedOrder order = paid(List.of(refund), true);
		List<Difference> found = Classifier.classify(order, answers(List.of(captured("pay_1", 1_000)),
				Map.of("rfd_1", new GatewayRefund("rfnd_1", "pay_1", Money.inr(1_000), GatewayRefund.Status.PROCESSED))));
		// the payment's refunded money is explained by the pending refund: one difference, not two
		assertThat(found).extracting(Difference::kind, Difference::action, Difference::refundId)
			.containsExactly(tuple(Kind.REFUND_MISMATCH, Action.RECONCILER, "rfd_1"));
	}

	@Test
	void aRefundProcessedHereThatTheGatewayCannotFindNeedsAnAdmin() {
		BookedOrder.Refund refund = new BookedOrder.Refund("rfd_1", "rfnd_1", "pay_1", Money.inr(1_000), "processed",
				false);
		BookedOrder order = paid(List.of(refund), true);
		assertThat(Classifier.classify(order, answers(List.of(captured("pay_1", 1_000)), Map.of())))
			.extracting(Difference::kind, Difference::action)
			.containsExactly(tuple(Kind.REFUND_MISMATCH, Action.ADMIN));
	}

	@Test
	void anAttemptTheGatewayDidNotAnswerForIsUncheckedNotGuessed() {
		BookedOrder order = paid(List.of(), true);
		List<Difference> found = Classifier.classify(order,
				new Classifier.Answers(Map.of(), Map.of(), Set.of(), true));
		assertThat(found).extracting(Difference::kind, Difference::action)
			.containsExactly(tuple(Kind.UNCHECKED, Action.RETRY));
		assertThat(found.get(0).unexplained()).isTrue();
	}

	@Test
	void aCurrencyMismatchIsAnAmountMismatch() {
		BookedOrder order = new BookedOrder("ord_1", TOTAL, "attempted", null, Instant.EPOCH, true, List.of(ATTEMPT),
				List.of(), List.of(), List.of());
		GatewayPayment usd = new GatewayPayment("pay_1", "order_1", new Money(49_900, "USD"),
				GatewayPayment.Status.CAPTURED, "card", 0, null, null);
		assertThat(Classifier.classify(order, answers(List.of(usd), Map.of())))
			.extracting(Difference::kind, Difference::action)
			.containsExactly(tuple(Kind.AMOUNT_MISMATCH, Action.ADMIN));
	}

	@Test
	void csvCellsAreQuotedAndNeverRunAsFormulas() {
		Difference d = new Difference(Kind.UNKNOWN_PAYMENT, Action.ADMIN, "razorpay", null, "=HYPERLINK(\"x\")",
				"pay_1", null, "none", "captured", null, 49_900L, "INR", "a, b");
		assertThat(ReportCsv.row(d)).isEqualTo("difference,unknown_payment,admin,razorpay,,\"'=HYPERLINK(\"\"x\"\")\","
				+ "pay_1,,none,captured,,,49900,499.00,INR,\"a, b\"\r\n");
	}

	private static BookedOrder paid(List<BookedOrder.Refund> refunds, boolean watched) {
		long refunded = refunds.stream()
			.filter(r -> "processed".equals(r.status()))
			.mapToLong(r -> r.amount().amount())
			.sum();
		return new BookedOrder("ord_1", TOTAL, "paid", "pay_1", Instant.EPOCH, watched, List.of(ATTEMPT),
				List.of(new BookedOrder.Payment("pay_1", "order_1", "captured", TOTAL, refunded, false)), refunds,
				List.of());
	}

	private static GatewayPayment captured(String id, long refunded) {
		return new GatewayPayment(id, "order_1", TOTAL, GatewayPayment.Status.CAPTURED, "card", refunded, null, null);
	}

	private static Classifier.Answers answers(List<GatewayPayment> payments, Map<String, GatewayRefund> refunds) {
		return new Classifier.Answers(Map.of("order_1", payments), refunds, Set.of(), true);
	}

}
