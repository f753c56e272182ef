package com.tijorihq.tijori.checkout;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

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

		/** Stable text of what was asked, for Idempotency-Key comparison. */
		String canonical() {
			StringBuilder text = new StringBuilder();
			if (this.gateway != null) {
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
	 * What Razorpay Checkout's handler gives the browser. The components keep Razorpay's snake_case names so that
	 * validation errors name the fields the client actually sent.
	 */
	record OrderVerifyRequest(
			@NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9_]+") String razorpay_order_id,
			@NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9_]+") String razorpay_payment_id,
			@NotBlank @Size(max = 128) @Pattern(regexp = "[0-9a-fA-F]+") String razorpay_signature) {
	}

	/** A refund: {@code amount} in the order currency's smallest unit; omitted = everything left. */
	record RefundCreateRequest(@Positive Long amount) {
	}

}
