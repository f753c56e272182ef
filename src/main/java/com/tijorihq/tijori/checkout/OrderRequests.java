package com.tijorihq.tijori.checkout;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import com.tijorihq.tijori.gateway.PaymentGateways;

/** Request bodies of {@code /api/orders}. */
final class OrderRequests {

	private OrderRequests() {
	}

	/**
	 * A new order. The amount is always computed from the catalog: a client-sent {@code amount}, {@code total} or
	 * {@code currency} is accepted and ignored (the contract says so), any other unknown field is a 400.
	 */
	@JsonIgnoreProperties({ "amount", "total", "currency" })
	record OrderCreateRequest(@NotNull @Size(min = 1, max = 50) List<@NotNull @Valid Line> items,
			@Size(max = 32) @Pattern(regexp = "[a-z]+", message = "must be a gateway name, e.g. razorpay") String gateway) {

		/** Whether any healthy gateway will do: none named, or {@code auto}. */
		boolean auto() {
			return this.gateway == null || PaymentGateways.AUTO.equals(this.gateway);
		}

		/** Stable text of what was asked, for Idempotency-Key comparison ({@code auto} is the same as none). */
		String canonical() {
			StringBuilder text = new StringBuilder();
			if (!auto()) {
				text.append("gateway=").append(this.gateway).append(';');
			}
			for (Line line : this.items) {
				text.append(line.productId()).append('*').append(line.quantity()).append(';');
			}
			return text.toString();
		}

	}

	record Line(@NotBlank @Size(max = 64) String productId, @NotNull @Min(1) @Max(100) Integer quantity) {
	}

	/**
	 * What the gateway's checkout gave the buyer's browser, as its fields: Razorpay Checkout's handler gives
	 * {@code razorpay_order_id}, {@code razorpay_payment_id} and {@code razorpay_signature}; other gateways' return
	 * forms are accepted as they are. Only flat text fields; the order's gateway checks their signature.
	 */
	record OrderVerifyRequest(Map<String, String> fields) {

		static final int MAX_FIELDS = 64;

		static final int MAX_LENGTH = 4096;

		@com.fasterxml.jackson.annotation.JsonCreator(mode = com.fasterxml.jackson.annotation.JsonCreator.Mode.DELEGATING)
		OrderVerifyRequest {
			if (fields == null || fields.isEmpty()) {
				throw new IllegalArgumentException("the gateway's return fields are required");
			}
			if (fields.size() > MAX_FIELDS || fields.entrySet()
				.stream()
				.anyMatch(e -> e.getKey().length() > 64 || e.getValue() == null || e.getValue().length() > MAX_LENGTH)) {
				throw new IllegalArgumentException("at most " + MAX_FIELDS + " text fields of at most " + MAX_LENGTH
						+ " characters");
			}
			fields = Map.copyOf(fields);
		}

	}

	/** A refund: {@code amount} in the order currency's smallest unit; omitted = everything left. */
	record RefundCreateRequest(@Positive Long amount) {
	}

}
