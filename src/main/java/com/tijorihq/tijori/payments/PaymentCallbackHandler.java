package com.tijorihq.tijori.payments;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import com.tijorihq.tijori.checkout.PaymentService;
import com.tijorihq.tijori.common.TijoriException;
import com.tijorihq.tijori.gateway.PaymentGateway;
import com.tijorihq.tijori.gateway.PaymentGateways;
import com.tijorihq.tijori.gateway.PaymentNotice;

/**
 * Paytm's {@code callbackUrl} and PayU's {@code surl}/{@code furl} (the browser, redirected by the gateway's
 * checkout) and their server-to-server notifications. Both carry the same signed form fields: a missing or bad
 * checksum is a 400 and changes nothing; a good one only tells Tijori which order to confirm with the gateway's
 * status API, and the browser is then sent to the order's page.
 */
@Component
class PaymentCallbackHandler {

	private static final Logger log = LoggerFactory.getLogger(PaymentCallbackHandler.class);

	private final PaymentGateways gateways;

	private final PaymentService payments;

	PaymentCallbackHandler(PaymentGateways gateways, PaymentService payments) {
		this.gateways = gateways;
		this.payments = payments;
	}

	Mono<ServerResponse> callback(ServerRequest request) {
		return confirm(request, orderId -> ServerResponse.seeOther(URI.create("/order.html?id=" + orderId)).build());
	}

	Mono<ServerResponse> webhook(ServerRequest request) {
		return confirm(request, orderId -> ServerResponse.ok().bodyValue(Map.of("status", "accepted")));
	}

	private Mono<ServerResponse> confirm(ServerRequest request, Function<String, Mono<ServerResponse>> respond) {
		String name = request.pathVariable("gateway");
		PaymentGateway gateway = this.gateways.find(name).orElse(null);
		if (gateway == null || "razorpay".equals(name)) {
			// Razorpay's browser result goes to /api/orders/{id}/verify and its webhooks to /api/webhooks/razorpay
			return Mono.error(TijoriException.notFound("Payment gateway"));
		}
		MediaType type = request.headers().contentType().orElse(null);
		Mono<Optional<String>> verified;
		if (type != null && MediaType.APPLICATION_FORM_URLENCODED.isCompatibleWith(type)) {
			verified = request.formData().map(data -> gateway.verifyCallback(single(data)));
		}
		else if (type != null && MediaType.APPLICATION_JSON.isCompatibleWith(type)) {
			// Paytm's JSON notifications: the signature covers the body's exact characters, so read it as text
			verified = request.bodyToMono(String.class).defaultIfEmpty("").map(gateway::verifyJsonNotification);
		}
		else {
			return Mono.error(new TijoriException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
					"Send the gateway's fields as application/x-www-form-urlencoded (or its signed JSON)."));
		}
		return verified.flatMap(found -> {
			String gatewayOrderId = found.orElse(null);
			if (gatewayOrderId == null) {
				log.warn("Rejected a {} callback with a missing or invalid checksum", name);
				return Mono.error(TijoriException.badRequest("invalid_signature",
						"The payment callback's checksum is missing or not valid."));
			}
			return this.payments.confirm(new PaymentNotice(name, gatewayOrderId, null, null, null, null)).flatMap(respond);
		});
	}

	/** A field sent twice is ambiguous: only the first counts, and the checksum covers that one. */
	private static Map<String, String> single(MultiValueMap<String, String> data) {
		Map<String, String> fields = new LinkedHashMap<>();
		data.forEach((key, values) -> {
			List<String> present = (values != null) ? values : List.of();
			fields.put(key, present.isEmpty() ? "" : present.get(0));
		});
		return fields;
	}

}
