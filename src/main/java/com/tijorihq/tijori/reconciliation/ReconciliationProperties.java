package com.tijorihq.tijori.reconciliation;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The reconciliation report: how hard it may lean on each gateway and how much it holds at once.
 *
 * @param callsPerSecond gateway calls per second per gateway, for all reports together (checkout shares the
 *        gateway's limits, so a report over a large window must not starve it)
 * @param concurrency orders compared at once
 * @param pageSize orders read from the database at a time (and a JSON page's default)
 * @param maxPageSize the largest {@code limit} a JSON page may ask for
 * @param maxWindow the longest {@code from}..{@code to} one report may cover
 */
@Validated
@ConfigurationProperties("tijori.reconciliation")
record ReconciliationProperties(@DefaultValue("20") @Min(1) @Max(1000) int callsPerSecond,
		@DefaultValue("4") @Min(1) @Max(64) int concurrency, @DefaultValue("200") @Min(1) int pageSize,
		@DefaultValue("1000") @Min(1) int maxPageSize, @DefaultValue("31d") @NotNull Duration maxWindow) {
}
