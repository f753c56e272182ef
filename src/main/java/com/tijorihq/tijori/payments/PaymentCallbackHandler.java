package com.tijorihq.tijori.payments;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
import com.tijorihq.tijori.common.LogContext;
import com.tijorihq.tijori.common.TijoriException;
import com.tijorihq.tijori.gateway.PaymentGateway;
import com.tijorihq.tijori.gateway.PaymentGateways;

/**
 * Where a gateway's checkout sends the buyer's browser back (Paytm's {@code callbackUrl}, PayU's
 * {@code surl}/{@code furl}, Razorpay Checkout's {@code callback_url} in redirect mode), with its signed form
 * fields. The gateway's adapter checks them: a missing or bad signature is a 400 and changes nothing; a good one
 * only names the payment, which is confirmed with the gateway before anything changes, and the browser is then
 * sent to the order's page.
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
		String name = request.pathVariable("gateway");
		PaymentGateway gateway = this.gateways.find(name).orElse(null);
		if (gateway == null) {
			return Mono.error(TijoriException.notFound("Payment gateway"));
		}
		MediaType type = request.headers().contentType().orElse(null);
		if (type == null || !MediaType.APPLICATION_FORM_URLENCODED.isCompatibleWith(type)) {
			return Mono.error(new TijoriException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
					"Send the gateway's fields as application/x-www-form-urlencoded."));
		}
		return request.formData().map(data -> gateway.verifyReturn(single(data))).flatMap(verified -> {
			if (verified.isEmpty()) {
				return LogContext
					.log(() -> log.warn("Rejected a {} callback with a missing or invalid checksum", gateway.name()))
					.then(Mono.error(TijoriException.badRequest("invalid_signature",
							"The payment callback's checksum is missing or not valid.")));
			}
			return this.payments.confirm(verified.get())
				.flatMap(orderId -> ServerResponse.seeOther(URI.create("/order.html?id=" + orderId)).build());
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
