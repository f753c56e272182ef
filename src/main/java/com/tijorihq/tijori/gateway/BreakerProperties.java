package com.tijorihq.tijori.gateway;

import java.time.Duration;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * A gateway's circuit breaker ({@code tijori.<gateway>.breaker.*}), the same settings and defaults for every
 * adapter. It counts gateway failures (timeouts, 5xx, I/O errors), never refusals or a full pool.
 *
 * @param failureRate percentage of failed calls in the window that opens the breaker
 * @param window calls in the sliding window
 * @param minimumCalls calls before the failure rate counts
 * @param openFor how long an open breaker refuses calls before letting a few through
 */
public record BreakerProperties(@DefaultValue("50") @DecimalMin("1") @DecimalMax("100") float failureRate,
		@DefaultValue("20") @Min(1) int window, @DefaultValue("10") @Min(1) int minimumCalls,
		@DefaultValue("10s") @NotNull Duration openFor) {

}
