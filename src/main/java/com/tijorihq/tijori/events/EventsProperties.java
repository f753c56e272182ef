package com.tijorihq.tijori.events;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Status streams and the instance's tail of {@code order_events}.
 *
 * @param heartbeat how often a stream gets a comment line, counted from its opening (keeps proxies and load
 *        balancers from closing it); sent by one ticker per event loop, at most a second late
 * @param retry the reconnect delay suggested to clients ({@code retry:}), also after a stream is closed on purpose
 * @param bufferSize events (or heartbeats) one stream may have pending, written but not yet taken by its socket,
 *        before it counts as too slow and is closed (the client reconnects with {@code Last-Event-ID} and loses
 *        nothing)
 * @param maxLifetime a stream is closed after this long; the client reconnects (bounds forgotten browser tabs)
 * @param tail {@code auto} (change stream when the server supports awaiting ones, else polling), {@code change-stream}
 *        or {@code poll}
 * @param pollInterval the polling tail's period (one query for all orders)
 * @param pollLookback how long the polling tail waits for a position that is missing while later ones are there
 *        (an insert still in flight on another instance) before it gives up on it; also how far back a change
 *        stream opened without a resume token starts
 * @param maxStreamsPerSession open streams one session may hold on this instance; the next is refused (429)
 * @param maxStreams open streams this instance holds at most; the next is refused (503 with {@code Retry-After})
 */
@Validated
@ConfigurationProperties("tijori.events")
record EventsProperties(@DefaultValue("15s") @NotNull Duration heartbeat, @DefaultValue("3s") @NotNull Duration retry,
		@DefaultValue("32") @Min(1) @Max(4096) int bufferSize, @DefaultValue("1h") @NotNull Duration maxLifetime,
		@DefaultValue("auto") @NotNull Tail tail, @DefaultValue("250ms") @NotNull Duration pollInterval,
		@DefaultValue("3s") @NotNull Duration pollLookback, @DefaultValue("20") @Min(1) int maxStreamsPerSession,
		@DefaultValue("10000") @Min(1) int maxStreams) {

	/** How the instance follows {@code order_events}. */
	enum Tail {

		AUTO, CHANGE_STREAM, POLL

	}

}
