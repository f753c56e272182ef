package com.tijorihq.tijori.common;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings shared across features.
 *
 * @param cookieSecure force {@code Secure} on cookies even behind a TLS-terminating proxy
 * @param cpuThreads threads for CPU-heavy work (password hashing)
 * @param cpuQueue tasks that may wait for those threads before new ones are refused
 */
@ConfigurationProperties("tijori")
public record TijoriProperties(@DefaultValue("false") boolean cookieSecure, @DefaultValue("4") int cpuThreads,
		@DefaultValue("256") int cpuQueue) {
}
