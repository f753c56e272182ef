package com.tijorihq.tijori.webhooks;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Inbound webhooks.
 *
 * @param maxBodySize larger bodies are refused with 413 before anything else happens
 * @param applyBudget how long a delivery may spend applying its event before the 200 goes out anyway (Razorpay
 *        wants an answer within 5 s); what did not finish is applied by the processor
 * @param retention how long handled events (and so their ids, for deduplication) are kept
 * @param retryInterval how often stored-but-unapplied events are picked up ({@code tijori.webhooks.retry-interval})
 * @param claim how long one attempt at an event keeps others off it
 * @param maxAttempts attempts before an event is left as {@code failed} for an admin
 */
@Validated
@ConfigurationProperties("tijori.webhooks")
public record WebhookProperties(@DefaultValue("1MB") @NotNull DataSize maxBodySize,
		@DefaultValue("3s") @NotNull Duration applyBudget, @DefaultValue("30d") @NotNull Duration retention,
		@DefaultValue("15s") @NotNull Duration retryInterval, @DefaultValue("30s") @NotNull Duration claim,
		@DefaultValue("100") @Min(1) int maxAttempts) {
}
