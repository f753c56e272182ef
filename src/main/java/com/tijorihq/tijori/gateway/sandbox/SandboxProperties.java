package com.tijorihq.tijori.gateway.sandbox;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The sandbox's key pair, webhook delivery and the faults it starts with (tests change faults at runtime through
 * {@link SandboxFaults}).
 *
 * @param keyId the sandbox's Razorpay-style key id (public)
 * @param keySecret signs checkout results and authenticates API calls
 * @param webhookSecret signs webhooks; generated at start-up when blank ({@link SandboxSecrets})
 */
@Validated
@ConfigurationProperties("tijori.sandbox")
public record SandboxProperties(@DefaultValue("rzp_test_sandboxTijori1") @NotBlank String keyId,
		@DefaultValue("tijori_sandbox_secret") @NotBlank String keySecret, String webhookSecret,
		@DefaultValue @Valid Webhooks webhooks, @DefaultValue @Valid Faults faults) {

	/**
	 * Webhook delivery: at least once, retried with backoff, given up after {@code maxAttempts}.
	 *
	 * @param url blank = this app's own {@code /api/webhooks/razorpay}
	 */
	public record Webhooks(@DefaultValue("true") boolean enabled, String url,
			@DefaultValue("500ms") Duration pollInterval, @DefaultValue("6") @Min(1) int maxAttempts,
			@DefaultValue("1s") Duration backoff, @DefaultValue("5s") Duration timeout) {
	}

	/**
	 * Faults injected into the REST API ({@code /v1}) and webhooks.
	 *
	 * @param latency added before every API answer
	 * @param errorRate share of API calls answered with a Razorpay 5xx {@code SERVER_ERROR}, 0–1
	 * @param hang API calls never answer
	 * @param amountMismatch payments are made for one paisa less than their order
	 * @param duplicateWebhooks every webhook is delivered twice (same event id)
	 * @param outOfOrderWebhooks the webhooks of one payment arrive in reverse order
	 */
	public record Faults(@DefaultValue("0ms") Duration latency,
			@DefaultValue("0") @DecimalMin("0") @DecimalMax("1") double errorRate, @DefaultValue("false") boolean hang,
			@DefaultValue("false") boolean amountMismatch, @DefaultValue("false") boolean duplicateWebhooks,
			@DefaultValue("false") boolean outOfOrderWebhooks) {
	}

	@Override
	public String toString() {
		return "SandboxProperties[keyId=" + this.keyId + ", webhooks=" + this.webhooks + ", faults=" + this.faults
				+ "]";
	}

}
