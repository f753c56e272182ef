package com.tijorihq.tijori.reconciliation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.tijorihq.tijori.gateway.GatewayPayment;
import com.tijorihq.tijori.gateway.GatewayRefund;
import com.tijorihq.tijori.reconciliation.Difference.Action;
import com.tijorihq.tijori.reconciliation.Difference.Kind;

/**
 * Compares one order's books with the gateway's answers and names every difference with who settles it. Pure: the
 * answers are fetched by {@link ReconciliationService}. What the reconciler settles follows what it does: it
 * applies every payment of an order it watches (captures an authorised one, pays on a captured one, refunds a
 * duplicate capture) and finishes refunds left pending; it never un-pays an order, never pays on a wrong amount and
 * never learns of a refund made outside Tijori except from that refund's webhook.
 */
final class Classifier {

	private Classifier() {
	}

	/**
	 * What the gateway answered about one order.
	 *
	 * @param payments each attempt's payments, by gateway order id; an attempt missing here could not be asked
	 * @param refunds each refund the gateway reported, by Tijori's refund id
	 * @param refundsUnchecked Tijori refund ids the gateway could not be asked about
	 * @param refundLookup the gateway can find a refund by Tijori's refund id (so "not found" means it has none)
	 */
	record Answers(Map<String, List<GatewayPayment>> payments, Map<String, GatewayRefund> refunds,
			Set<String> refundsUnchecked, boolean refundLookup) {
	}

	static List<Difference> classify(BookedOrder order, Answers answers) {
		List<Difference> found = new ArrayList<>();
		Map<String, BookedOrder.Payment> ours = order.payments()
			.stream()
			.collect(Collectors.toMap(BookedOrder.Payment::gatewayPaymentId, Function.identity(), (a, b) -> a));
		Set<String> seenAtGateway = new HashSet<>();
		for (BookedOrder.Attempt attempt : order.attempts()) {
			List<GatewayPayment> theirs = answers.payments().get(attempt.gatewayOrderId());
			if (theirs == null) {
				found.add(new Difference(Kind.UNCHECKED, Action.RETRY, attempt.gateway(), order.orderId(),
						attempt.gatewayOrderId(), null, null, null, null, null, null, order.total().currency(),
						"The gateway did not answer for this attempt; run the report again."));
				continue;
			}
			for (GatewayPayment payment : theirs) {
				seenAtGateway.add(payment.id());
				payment(order, attempt, payment, ours.get(payment.id()), found);
			}
		}
		Set<String> checkedAttempts = answers.payments().keySet();
		for (BookedOrder.Payment payment : order.payments()) {
			if (payment.captured() && checkedAttempts.contains(payment.gatewayOrderId())
					&& !seenAtGateway.contains(payment.gatewayPaymentId())) {
				found.add(difference(Kind.PAID_NOT_CAPTURED, Action.ADMIN, order, gatewayOf(order, payment), payment,
						null, "none", null,
						"Tijori counts this payment captured; the gateway has no such payment on the attempt."));
			}
		}
		for (BookedOrder.Refund refund : order.refunds()) {
			refund(order, refund, answers, found);
		}
		return found;
	}

	private static void payment(BookedOrder order, BookedOrder.Attempt attempt, GatewayPayment theirs,
			BookedOrder.Payment ours, List<Difference> found) {
		String gateway = attempt.gateway();
		GatewayPayment.Status status = theirs.status();
		boolean capturedThere = status == GatewayPayment.Status.CAPTURED || status == GatewayPayment.Status.REFUNDED;
		boolean takesMoney = capturedThere || status == GatewayPayment.Status.AUTHORIZED;
		if (takesMoney && (!theirs.amount().equals(order.total())
				|| (ours != null && !ours.amount().equals(theirs.amount())))) {
			found.add(new Difference(Kind.AMOUNT_MISMATCH, Action.ADMIN, gateway, order.orderId(),
					attempt.gatewayOrderId(), theirs.id(), null, (ours != null) ? ours.status() : "none", wire(status),
					order.total().amount(), theirs.amount().amount(), theirs.amount().currency(),
					"The gateway " + (capturedThere ? "captured " : "authorised ") + theirs.amount().amount() + " "
							+ theirs.amount().currency() + " for an order of " + order.total().amount() + " "
							+ order.total().currency() + "; Tijori never pays on it."));
			return;
		}
		boolean paysThisOrder = theirs.id().equals(order.paidBy());
		if (capturedThere && !paysThisOrder && order.paid()) {
			duplicate(order, attempt, theirs, ours, found);
			return;
		}
		if (capturedThere && !order.paid()) {
			found.add(new Difference(Kind.CAPTURED_NOT_PAID, order.watched() ? Action.RECONCILER : Action.ADMIN,
					gateway, order.orderId(), attempt.gatewayOrderId(), theirs.id(), null, stateOf(ours, order),
					wire(status), (ours != null) ? ours.amount().amount() : null, theirs.amount().amount(),
					theirs.amount().currency(), order.watched()
							? "Captured at the gateway, not paid here yet: the reconciler makes the order paid."
							: "Captured at the gateway, not paid here, and the reconciler no longer looks at this order."));
			return;
		}
		if (status == GatewayPayment.Status.AUTHORIZED && (ours == null || !ours.captured())) {
			boolean settles = order.watched() && !order.paid();
			found.add(new Difference(Kind.AUTHORISED_NOT_CAPTURED, settles ? Action.RECONCILER : Action.ADMIN,
					gateway, order.orderId(), attempt.gatewayOrderId(), theirs.id(), null, stateOf(ours, order),
					wire(status), (ours != null) ? ours.amount().amount() : null, theirs.amount().amount(),
					theirs.amount().currency(),
					settles ? "Authorised at the gateway: the reconciler captures it and makes the order paid."
							: order.paid() ? "Authorised after the order was paid: Tijori never captures it."
									: "Authorised at the gateway, and the reconciler no longer looks at this order."));
			return;
		}
		if (!capturedThere && (paysThisOrder || (ours != null && ours.captured()))) {
			found.add(new Difference(Kind.PAID_NOT_CAPTURED, Action.ADMIN, gateway, order.orderId(),
					attempt.gatewayOrderId(), theirs.id(), null, (ours != null) ? ours.status() : order.status(),
					wire(status), (ours != null) ? ours.amount().amount() : null, theirs.amount().amount(),
					theirs.amount().currency(), "Tijori counts this payment captured; the gateway says " + wire(status)
							+ "."));
			return;
		}
		if (capturedThere && ours != null) {
			refundedMoney(order, attempt, theirs, ours, found);
		}
	}

	private static void duplicate(BookedOrder order, BookedOrder.Attempt attempt, GatewayPayment theirs,
			BookedOrder.Payment ours, List<Difference> found) {
		boolean givenBack = theirs.amountRefunded() >= theirs.amount().amount();
		boolean known = ours != null && ours.captured();
		Action action = givenBack ? Action.SETTLED : (known || order.watched()) ? Action.RECONCILER : Action.ADMIN;
		String detail = givenBack ? "Money taken twice; its refund went through at the gateway."
				: (action == Action.RECONCILER) ? "Money taken twice, not refunded yet: the reconciler refunds it."
						: "Money taken twice, not refunded, and the reconciler no longer looks at this order.";
		found.add(new Difference(Kind.DUPLICATE_PAYMENT, action, attempt.gateway(), order.orderId(),
				attempt.gatewayOrderId(), theirs.id(), null, stateOf(ours, order), givenBack ? "refunded"
						: wire(theirs.status()),
				(ours != null) ? ours.refunded() : null, theirs.amount().amount(), theirs.amount().currency(), detail));
	}

	/**
	 * The money refunded of one payment, where refund records cannot explain it: a refund made at the gateway's
	 * dashboard (or whose webhook was lost) and money Tijori counts refunded that the gateway does not. A refund
	 * still pending here but processed there is the refund's own difference, not this one.
	 */
	private static void refundedMoney(BookedOrder order, BookedOrder.Attempt attempt, GatewayPayment theirs,
			BookedOrder.Payment ours, List<Difference> found) {
		long pending = order.refunds()
			.stream()
			.filter(r -> r.gatewayPaymentId().equals(ours.gatewayPaymentId()) && "pending".equals(r.status()))
			.mapToLong(r -> r.amount().amount())
			.sum();
		long here = ours.refunded();
		long there = theirs.amountRefunded();
		if (there == here || (there > here && there <= here + pending)) {
			return;
		}
		found.add(new Difference(Kind.REFUND_MISMATCH, Action.ADMIN, attempt.gateway(), order.orderId(),
				attempt.gatewayOrderId(), theirs.id(), null, "refunded " + here, "refunded " + there, here, there,
				theirs.amount().currency(),
				(there > here) ? "Refunded at the gateway but not here (a dashboard refund, or its webhook was lost)."
						: "Tijori counts more refunded than the gateway does."));
	}

	private static void refund(BookedOrder order, BookedOrder.Refund refund, Answers answers, List<Difference> found) {
		String gateway = gatewayOf(order, refund.gatewayPaymentId());
		if (answers.refundsUnchecked().contains(refund.refundId())) {
			found.add(refundDifference(Kind.UNCHECKED, Action.RETRY, order, gateway, refund, null,
					"The gateway did not answer for this refund; run the report again."));
			return;
		}
		GatewayRefund theirs = answers.refunds().get(refund.refundId());
		if (theirs != null && !theirs.amount().equals(refund.amount())) {
			found.add(refundDifference(Kind.REFUND_MISMATCH, Action.ADMIN, order, gateway, refund, theirs,
					"The gateway refunded another amount than Tijori asked for."));
			return;
		}
		String there = (theirs != null) ? wire(theirs.status()) : "none";
		switch (refund.status()) {
			case "pending" -> {
				if (theirs == null && refund.gatewayRefundId() == null) {
					found.add(refundDifference(Kind.REFUND_MISMATCH, Action.RECONCILER, order, gateway, refund, null,
							"The refund's answer was lost: the reconciler looks it up or sends it again."));
				}
				else if (theirs != null && theirs.status() != GatewayRefund.Status.PENDING) {
					found.add(refundDifference(Kind.REFUND_MISMATCH, Action.RECONCILER, order, gateway, refund, theirs,
							"Pending here, " + there + " at the gateway: the reconciler settles it."));
				}
			}
			case "processed" -> {
				if (theirs != null && theirs.status() != GatewayRefund.Status.PROCESSED
						|| theirs == null && answers.refundLookup()) {
					found.add(refundDifference(Kind.REFUND_MISMATCH, Action.ADMIN, order, gateway, refund, theirs,
							"Processed here, " + there + " at the gateway."));
				}
			}
			default -> {
				if (theirs != null && theirs.status() == GatewayRefund.Status.PROCESSED) {
					found.add(refundDifference(Kind.REFUND_MISMATCH, Action.ADMIN, order, gateway, refund, theirs,
							"Failed here, processed at the gateway: the money left but Tijori counts it unrefunded."));
				}
			}
		}
	}

	private static Difference refundDifference(Kind kind, Action action, BookedOrder order, String gateway,
			BookedOrder.Refund refund, GatewayRefund theirs, String detail) {
		return new Difference(kind, action, gateway, order.orderId(), gatewayOrderOf(order, refund.gatewayPaymentId()),
				refund.gatewayPaymentId(), refund.refundId(), refund.status(),
				(theirs != null) ? wire(theirs.status()) : (kind == Kind.UNCHECKED) ? null : "none",
				refund.amount().amount(), (theirs != null) ? theirs.amount().amount() : null, refund.amount().currency(),
				detail);
	}

	private static Difference difference(Kind kind, Action action, BookedOrder order, String gateway,
			BookedOrder.Payment ours, GatewayPayment theirs, String gatewayState, Long gatewayAmount, String detail) {
		return new Difference(kind, action, gateway, order.orderId(), ours.gatewayOrderId(), ours.gatewayPaymentId(),
				null, ours.status(), gatewayState, ours.amount().amount(), gatewayAmount, ours.amount().currency(),
				detail);
	}

	/** A payment Tijori has not recorded shows the order's status instead. */
	private static String stateOf(BookedOrder.Payment ours, BookedOrder order) {
		return (ours != null) ? ours.status() : "none (order " + order.status() + ")";
	}

	private static String gatewayOf(BookedOrder order, BookedOrder.Payment payment) {
		return gatewayOfOrder(order, payment.gatewayOrderId());
	}

	private static String gatewayOf(BookedOrder order, String gatewayPaymentId) {
		return gatewayOfOrder(order, gatewayOrderOf(order, gatewayPaymentId));
	}

	private static String gatewayOrderOf(BookedOrder order, String gatewayPaymentId) {
		return order.payments()
			.stream()
			.filter(p -> p.gatewayPaymentId().equals(gatewayPaymentId))
			.map(BookedOrder.Payment::gatewayOrderId)
			.findFirst()
			.orElse(null);
	}

	private static String gatewayOfOrder(BookedOrder order, String gatewayOrderId) {
		return order.attempts()
			.stream()
			.filter(a -> a.gatewayOrderId().equals(gatewayOrderId))
			.map(BookedOrder.Attempt::gateway)
			.findFirst()
			.orElseGet(() -> order.attempts().isEmpty() ? null : order.attempts().get(0).gateway());
	}

	static String wire(Enum<?> status) {
		return status.name().toLowerCase(java.util.Locale.ROOT);
	}

}
