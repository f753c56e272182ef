package com.tijorihq.tijori.reconciliation;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Service;

import com.tijorihq.tijori.gateway.GatewayPayment;
import com.tijorihq.tijori.gateway.GatewayRefund;
import com.tijorihq.tijori.gateway.PaymentGateway;
import com.tijorihq.tijori.gateway.PaymentGateways;
import com.tijorihq.tijori.reconciliation.Difference.Action;
import com.tijorihq.tijori.reconciliation.Difference.Kind;

/**
 * Builds the report: reads orders a page at a time (never the whole window), asks each order's gateway about its
 * attempts and refunds (paced, a few orders at once), classifies, then lists each gateway's payments in the window
 * to find those no order knows. Nothing here writes: the report only reads both sides.
 */
@Service
class ReconciliationService {

	private static final Logger log = LoggerFactory.getLogger(ReconciliationService.class);

	private final OrderBooks books;

	private final PaymentGateways gateways;

	private final CallPacer pacer;

	private final ReconciliationProperties properties;

	ReconciliationService(OrderBooks books, PaymentGateways gateways, CallPacer pacer,
			ReconciliationProperties properties) {
		this.books = books;
		this.gateways = gateways;
		this.pacer = pacer;
		this.properties = properties;
	}

	/** Orders created in {@code [from, to)}; {@code gateway} null for every gateway. */
	record Window(Instant from, Instant to, String gateway) {
	}

	/**
	 * One JSON page: the differences and totals of up to {@code limit} orders after {@code after}; the last page
	 * (no {@code next}) also holds the unknown payments and the summary covers the page.
	 */
	record ReportPage(String from, String to, String gateway, List<Difference> differences, List<Totals> totals,
			Summary summary, String next) {
	}

	/** The whole window as lines: differences as found, then each gateway's totals, then the summary. */
	Flux<ReportLine> stream(Window window) {
		return Flux.defer(() -> {
			Tally tally = new Tally(window.gateway());
			int size = this.properties.pageSize();
			Flux<BookedOrder> orders = orderPage(window, null, size)
				.expand(page -> (page.size() < size) ? Mono.empty()
						: orderPage(window, page.get(page.size() - 1).position(), size))
				.concatMapIterable(page -> page);
			return Flux.<ReportLine>concat(check(orders, tally), unknownPayments(window, tally),
					Flux.defer(() -> Flux.fromIterable(tally.totals())),
					Mono.fromSupplier(() -> tally.summary(window, listing(window))));
		});
	}

	Mono<ReportPage> page(Window window, BookedOrder.Position after, int limit) {
		return Mono.defer(() -> {
			Tally tally = new Tally(window.gateway());
			return orderPage(window, after, limit).flatMap(orders -> {
				boolean last = orders.size() < limit;
				Flux<Difference> differences = check(Flux.fromIterable(orders), tally);
				if (last) {
					differences = differences.concatWith(unknownPayments(window, tally));
				}
				String next = last ? null : Cursor.encode(orders.get(orders.size() - 1).position());
				return differences.collectList()
					.map(found -> new ReportPage(window.from().toString(), window.to().toString(), window.gateway(),
							found, tally.totals(), tally.summary(window, last ? listing(window) : List.of()), next));
			});
		});
	}

	private Mono<List<BookedOrder>> orderPage(Window window, BookedOrder.Position after, int limit) {
		return this.books.createdBetween(window.from(), window.to(), window.gateway(), after, limit).collectList();
	}

	private Flux<Difference> check(Flux<BookedOrder> orders, Tally tally) {
		return orders.flatMapSequential(order -> answers(order).flatMapIterable(answers -> {
			List<Difference> found = Classifier.classify(order, answers)
				.stream()
				.filter(d -> tally.counts(d.gateway()))
				.toList();
			tally.order(order, answers.payments(), found);
			return found;
		}), this.properties.concurrency());
	}

	/** Every attempt's payments and every refund as the gateway reports them; what could not be asked is left out. */
	private Mono<Classifier.Answers> answers(BookedOrder order) {
		Map<String, List<GatewayPayment>> payments = new HashMap<>();
		Map<String, GatewayRefund> refunds = new HashMap<>();
		Set<String> refundsUnchecked = new HashSet<>();
		Mono<Void> attempts = Flux.fromIterable(order.attempts())
			.concatMap(attempt -> gateway(attempt.gateway())
				.map(gateway -> this.pacer.paced(gateway.name(), gateway.fetchOrderPayments(attempt.gatewayOrderId()))
					.doOnNext(found -> payments.put(attempt.gatewayOrderId(), found))
					.onErrorResume(ex -> unanswered(order, ex)))
				.orElseGet(Mono::empty))
			.then();
		Mono<Void> refundChecks = Flux.fromIterable(order.refunds()).concatMap(refund -> {
			String gatewayOrderId = order.payments()
				.stream()
				.filter(p -> p.gatewayPaymentId().equals(refund.gatewayPaymentId()))
				.map(BookedOrder.Payment::gatewayOrderId)
				.findFirst()
				.orElse(null);
			String name = order.attempts()
				.stream()
				.filter(a -> a.gatewayOrderId().equals(gatewayOrderId))
				.map(BookedOrder.Attempt::gateway)
				.findFirst()
				.orElse(null);
			Optional<PaymentGateway> gateway = gateway(name);
			if (gateway.isEmpty()) {
				refundsUnchecked.add(refund.refundId());
				return Mono.empty();
			}
			return this.pacer
				.paced(name, gateway.get()
					.fetchRefund(gatewayOrderId, refund.gatewayPaymentId(), refund.refundId(), refund.gatewayRefundId()))
				.doOnNext(found -> refunds.put(refund.refundId(), found))
				.onErrorResume(ex -> {
					refundsUnchecked.add(refund.refundId());
					return unanswered(order, ex);
				});
		}).then();
		boolean lookup = order.attempts()
			.stream()
			.allMatch(a -> gateway(a.gateway()).map(g -> g.capabilities().refundLookup()).orElse(false));
		// the maps are filled one call after another (concatMap), and read only after both finished
		return attempts.then(refundChecks)
			.then(Mono.fromSupplier(() -> new Classifier.Answers(Map.copyOf(payments), Map.copyOf(refunds),
					Set.copyOf(refundsUnchecked), lookup)));
	}

	/**
	 * Payments each listing gateway took in the window whose gateway order no Tijori order has. A gateway that
	 * cannot list is named in the summary's {@code unknownPaymentsListed} by its absence.
	 */
	private Flux<Difference> unknownPayments(Window window, Tally tally) {
		return Flux.fromIterable(listingGateways(window))
			.concatMap(gateway -> this.pacer.paced(gateway.name(), Mono.just(gateway))
				.flatMapMany(g -> g.listPayments(window.from(), window.to()))
				.flatMapSequential(payment -> ((payment.orderId() == null) ? Mono.just(false)
						: this.books.knowsGatewayOrder(payment.orderId()))
					.filter(known -> !known)
					.map(unknown -> {
						tally.gatewayPayment(gateway.name(), payment);
						Difference found = new Difference(Kind.UNKNOWN_PAYMENT, Action.ADMIN, gateway.name(), null,
								payment.orderId(), payment.id(), null, "none", Classifier.wire(payment.status()), null,
								payment.amount().amount(), payment.amount().currency(),
								"The gateway took this payment for a gateway order no Tijori order has.");
						tally.difference(found);
						return found;
					}), this.properties.concurrency())
				.onErrorResume(ex -> {
					log.info("Could not list {} payments for reconciliation: {}", gateway.name(), ex.toString());
					Difference unchecked = new Difference(Kind.UNCHECKED, Action.RETRY, gateway.name(), null, null,
							null, null, null, null, null, null, null,
							"The gateway's payment listing did not answer; unknown payments were not looked for.");
					tally.difference(unchecked);
					return Mono.just(unchecked);
				}));
	}

	private List<PaymentGateway> listingGateways(Window window) {
		return this.gateways.enabled()
			.stream()
			.filter(g -> window.gateway() == null || window.gateway().equals(g.name()))
			.filter(g -> g.capabilities().paymentListing())
			.toList();
	}

	private List<String> listing(Window window) {
		return listingGateways(window).stream().map(PaymentGateway::name).toList();
	}

	private Optional<PaymentGateway> gateway(String name) {
		return (name != null) ? this.gateways.find(name) : Optional.empty();
	}

	private static <T> Mono<T> unanswered(BookedOrder order, Throwable ex) {
		log.info("Reconciliation could not ask the gateway about order {}: {}", order.orderId(), ex.toString());
		return Mono.empty();
	}

}
