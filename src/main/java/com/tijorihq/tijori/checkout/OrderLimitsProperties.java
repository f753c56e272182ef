package com.tijorihq.tijori.checkout;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How much checkout work one buyer can cause: every order is a gateway call and, unpaid, weeks of reconciler
 * looks.
 *
 * @param maxOpen orders a buyer may have waiting for payment (created, attempted or failed, and not yet expired)
 *        before a new one is refused with 429
 * @param rate new orders a buyer may ask for per {@code rateWindow}, on each instance
 * @param rateWindow the window of {@code rate}
 */
@Validated
@ConfigurationProperties("tijori.orders")
record OrderLimitsProperties(@DefaultValue("10") @Min(1) int maxOpen, @DefaultValue("10") @Min(1) int rate,
		@DefaultValue("1m") @NotNull Duration rateWindow) {
}
