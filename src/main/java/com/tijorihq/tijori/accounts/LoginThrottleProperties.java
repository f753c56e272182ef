package com.tijorihq.tijori.accounts;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Failed logins allowed per account and per client IP within one window before 429.
 */
@ConfigurationProperties("tijori.login-throttle")
record LoginThrottleProperties(@DefaultValue("5") int maxFailuresPerAccount,
		@DefaultValue("20") int maxFailuresPerIp, @DefaultValue("15m") Duration window) {
}
