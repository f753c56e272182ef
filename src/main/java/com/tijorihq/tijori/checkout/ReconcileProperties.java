package com.tijorihq.tijori.checkout;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The reconciler: how often it sweeps and which orders it looks at.
 *
 * @param enabled whether the periodic sweep runs at all ({@link Reconciler#sweepNow()} always works)
 * @param interval pause between two sweeps (read by {@code @Scheduled} as {@code tijori.reconcile.interval})
 * @param minAge orders younger than this are left to the browser and webhooks
 * @param expireAfter an order with no authorised or captured payment this long after creation becomes
 *        {@code expired}
 * @param lateWindow {@code expired} orders younger than this are still checked, for late authorisations
 *        (Razorpay: up to 3 days)
 * @param rest least time between two looks at one order; orders past {@code expireAfter} rest longer (a tenth
 *        of their age, at most an hour)
 * @param lease how long the sweeping replica holds the {@code reconciler} lease without renewing it
 * @param batch orders looked at per sweep
 * @param concurrency orders reconciled at once (each is one or two gateway calls)
 * @param unansweredAfter a reserved refund without the gateway's answer this long after it was made is finished
 *        by the sweep (longer than any gateway call may take, so the request that reserved it has given up by
 *        then); also when the money of a fresh capture is first checked (duplicates, late payments)
 */
@Validated
@ConfigurationProperties("tijori.reconcile")
public record ReconcileProperties(@DefaultValue("true") boolean enabled, @DefaultValue("1m") @NotNull Duration interval,
		@DefaultValue("5m") @NotNull Duration minAge, @DefaultValue("2h") @NotNull Duration expireAfter,
		@DefaultValue("5d") @NotNull Duration lateWindow, @DefaultValue("1m") @NotNull Duration rest,
		@DefaultValue("2m") @NotNull Duration lease, @DefaultValue("200") @Min(1) int batch,
		@DefaultValue("4") @Min(1) int concurrency, @DefaultValue("1m") @NotNull Duration unansweredAfter) {
}
