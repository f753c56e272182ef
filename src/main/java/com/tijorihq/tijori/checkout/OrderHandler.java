package com.tijorihq.tijori.checkout;

import java.net.URI;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import com.tijorihq.tijori.accounts.CurrentUser;
import com.tijorihq.tijori.accounts.TijoriUser;
import com.tijorihq.tijori.checkout.OrderRequests.OrderCreateRequest;
import com.tijorihq.tijori.checkout.OrderRequests.OrderVerifyRequest;
import com.tijorihq.tijori.checkout.OrderRequests.RefundCreateRequest;
import com.tijorihq.tijori.common.Page;
import com.tijorihq.tijori.common.RequestBodies;
import com.tijorihq.tijori.common.TijoriException;

@Component
class OrderHandler {

	private static final String IDEMPOTENCY_KEY = "Idempotency-Key";

	private final OrderService orders;

	private final PaymentService payments;

	private final RefundService refunds;

	private final RequestBodies bodies;

	OrderHandler(OrderService orders, PaymentService payments, RefundService refunds, RequestBodies bodies) {
		this.orders = orders;
		this.payments = payments;
		this.refunds = refunds;
		this.bodies = bodies;
	}

	Mono<ServerResponse> create(ServerRequest request) {
		String key = request.headers().firstHeader(IDEMPOTENCY_KEY);
		if (!validKey(key)) {
			return Mono.error(TijoriException.invalid(IDEMPOTENCY_KEY, "must be 1 to 255 visible ASCII characters"));
		}
		return CurrentUser.require(request)
			.zipWith(this.bodies.read(request, OrderCreateRequest.class))
			.flatMap(both -> this.orders.create(both.getT1(), both.getT2(), key)
				.flatMap(created -> (created.fresh()
						? ServerResponse.created(URI.create("/api/orders/" + created.order().publicId()))
						: ServerResponse.ok())
					.bodyValue(view(both.getT1(), created.order()))));
	}

	Mono<ServerResponse> list(ServerRequest request) {
		Page.Request page = Page.Request.from(request);
		return CurrentUser.require(request)
			.flatMap(user -> this.orders.list(user, page)
				.map(found -> new Page<>(found.items().stream().map(o -> view(user, o)).toList(), found.page(),
						found.size(), found.total())))
			.flatMap(body -> ServerResponse.ok().bodyValue(body));
	}

	Mono<ServerResponse> get(ServerRequest request) {
		return CurrentUser.require(request)
			.flatMap(user -> this.orders.get(user, request.pathVariable("id"))
				.flatMap(order -> ServerResponse.ok().bodyValue(view(user, order))));
	}

	Mono<ServerResponse> checkout(ServerRequest request) {
		return CurrentUser.require(request)
			.flatMap(user -> this.orders.renewCheckout(user, request.pathVariable("id"))
				.flatMap(order -> ServerResponse.ok().bodyValue(view(user, order))));
	}

	Mono<ServerResponse> verify(ServerRequest request) {
		return CurrentUser.require(request)
			.zipWith(this.bodies.read(request, OrderVerifyRequest.class))
			.flatMap(both -> this.payments.verify(both.getT1(), request.pathVariable("id"), both.getT2().fields())
				.flatMap(order -> ServerResponse.ok().bodyValue(view(both.getT1(), order))));
	}

	Mono<ServerResponse> refund(ServerRequest request) {
		String key = request.headers().firstHeader(IDEMPOTENCY_KEY);
		if (!validKey(key)) {
			return Mono.error(TijoriException.invalid(IDEMPOTENCY_KEY, "must be 1 to 255 visible ASCII characters"));
		}
		String orderId = request.pathVariable("id");
		return CurrentUser.require(request)
			.filter(user -> user.isAdmin())
			.switchIfEmpty(Mono.error(() -> new TijoriException(HttpStatus.FORBIDDEN, "forbidden",
					"Only admins may refund.")))
			.zipWith(refundBody(request))
			.flatMap(both -> this.refunds.refund(both.getT1(), orderId, both.getT2().amount(), key))
			.flatMap(outcome -> ServerResponse.status(outcome.fresh() ? HttpStatus.CREATED : HttpStatus.OK)
				.bodyValue(RefundResponse.of(outcome.orderId(), outcome.refund())));
	}

	/** The body is optional: none means "refund everything left". */
	private Mono<RefundCreateRequest> refundBody(ServerRequest request) {
		boolean none = request.headers().contentLength().orElse(-1) == 0
				&& request.headers().contentType().isEmpty();
		return none ? Mono.just(new RefundCreateRequest(null)) : this.bodies.read(request, RefundCreateRequest.class);
	}

	private OrderResponse view(TijoriUser user, OrderDocument order) {
		return OrderResponse.of(order, this.orders.keyId(order), user.isAdmin());
	}

	private static boolean validKey(String key) {
		return key == null || (!key.isBlank() && key.length() <= 255 && key.chars().allMatch(c -> c > 32 && c < 127));
	}

}
