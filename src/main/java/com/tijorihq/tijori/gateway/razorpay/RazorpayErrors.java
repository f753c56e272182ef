package com.tijorihq.tijori.gateway.razorpay;

import java.time.Duration;
import java.util.Locale;

import com.razorpay.RazorpayException;
import org.json.JSONException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;

import com.tijorihq.tijori.common.TijoriException;
import com.tijorihq.tijori.gateway.GatewayRejectedException;
import com.tijorihq.tijori.gateway.GatewayCallFailure.Kind;
import com.tijorihq.tijori.gateway.GatewayCallFailure;

/**
 * Turns what razorpay-java throws into Tijori's errors. The SDK flattens errors into a message:
 * {@code "BAD_REQUEST_ERROR:description"} for a Razorpay error body, {@code "Status Code: 502\n..."} for another
 * non-2xx body, the bare I/O message for network failures; non-JSON bodies escape as {@link JSONException} and a
 * body without {@code entity} as {@link IllegalArgumentException}. The HTTP status recorded by the interceptor
 * ({@link SdkCall#status()}) settles what the message leaves open. Gateway wording never reaches a client.
 */
final class RazorpayErrors {

	private static final Logger log = LoggerFactory.getLogger(RazorpayErrors.class);

	static final String REJECTED = "gateway_rejected";

	static final String NOT_FOUND = "gateway_not_found";

	static final String CONFLICT = "gateway_conflict";

	static final String REFUND_IN_PROGRESS = "refund_in_progress";

	private RazorpayErrors() {
	}

	static TijoriException map(String operation, Throwable ex, SdkCall call, Duration retryAfter) {
		int status = call.status();
		if (ex instanceof TijoriException tijori) {
			return tijori;
		}
		if (ex instanceof RazorpayException razorpay) {
			return fromRazorpay(operation, razorpay, call, retryAfter);
		}
		if (ex instanceof JSONException || ex instanceof IllegalArgumentException) {
			log.info("Razorpay {}: unreadable answer (HTTP {}): {}", operation, status, ex.getMessage());
			Kind kind = (status >= 500 || status == 429) ? Kind.TRANSIENT : Kind.PROTOCOL;
			return new GatewayCallFailure(kind, retryAfter, ex);
		}
		log.warn("Razorpay {}: unexpected failure", operation, ex);
		return new GatewayCallFailure(Kind.PROTOCOL, retryAfter, ex);
	}

	private static TijoriException fromRazorpay(String operation, RazorpayException ex, SdkCall call,
			Duration retryAfter) {
		int status = call.status();
		String message = (ex.getMessage() != null) ? ex.getMessage() : "";
		if (status == 0 && call.failure() instanceof java.io.InterruptedIOException) {
			// a read/connect timeout: the gateway is slow, another try now would only add load
			log.info("Razorpay {}: timed out: {}", operation, message);
			return new GatewayCallFailure(Kind.TIMEOUT, retryAfter, ex);
		}
		if (status == 0) {
			// no HTTP answer at all: connect refused, reset, timeout, cancelled
			log.info("Razorpay {}: no answer: {}", operation, message);
			return new GatewayCallFailure(Kind.TRANSIENT, retryAfter, ex);
		}
		if (status == 401 || status == 403) {
			log.error("Razorpay {}: the gateway refused Tijori's keys (HTTP {}); check RAZORPAY_KEY_ID and "
					+ "RAZORPAY_KEY_SECRET", operation, status);
			return new GatewayCallFailure(Kind.MISCONFIGURED, retryAfter, ex);
		}
		if (status == 429 || status >= 500) {
			log.info("Razorpay {}: HTTP {}: {}", operation, status, message);
			return new GatewayCallFailure(Kind.TRANSIENT, retryAfter, ex);
		}
		String reason = description(message);
		log.debug("Razorpay {} refused (HTTP {}): {}", operation, status, reason);
		if (status == 404 || reason.toLowerCase(Locale.ROOT).contains("does not exist")) {
			return new GatewayRejectedException(HttpStatus.NOT_FOUND, NOT_FOUND,
					"The payment gateway has no such order, payment or refund.", reason);
		}
		if ("refund".equals(operation) && (status == 409 || reason.toLowerCase(Locale.ROOT).contains("idempotency"))) {
			// the key is Razorpay's already (being refunded, or refunded with other parameters): whatever it did
			// with the first request stands, so the reservation must stay until a lookup settles it
			return new GatewayRejectedException(HttpStatus.CONFLICT, REFUND_IN_PROGRESS,
					"The payment gateway already has a refund with this id.", reason);
		}
		if (status == 409) {
			return new GatewayRejectedException(HttpStatus.CONFLICT, CONFLICT,
					"The payment gateway is still processing the same request.", reason);
		}
		return new GatewayRejectedException(HttpStatus.BAD_REQUEST, REJECTED,
				"The payment gateway rejected the request.", reason);
	}

	/** {@code "BAD_REQUEST_ERROR:Order amount less than minimum"} → the description. */
	static String description(String message) {
		int colon = message.indexOf(':');
		if (colon > 0 && message.substring(0, colon).matches("[A-Z_]+")) {
			return message.substring(colon + 1);
		}
		return message;
	}

}
