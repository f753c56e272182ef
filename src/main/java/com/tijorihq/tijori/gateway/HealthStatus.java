package com.tijorihq.tijori.gateway;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** A gateway's health as checkout and storefronts see it. */
public enum HealthStatus {

	/** Answering, no recent failures. */
	UP,

	/** Still taking orders, but recent calls failed or its breaker is letting a few trial calls through. */
	DEGRADED,

	/** Not taking orders now: its breaker is open, its pool is full, or its API does not answer the probe. */
	DOWN;

	@JsonValue
	public String wire() {
		return name().toLowerCase(Locale.ROOT);
	}

}
