package com.tijorihq.tijori.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link IntegrationTest} with low per-buyer and per-IP limits and forwarded headers on behind one trusted proxy
 * (127.0.0.1, where tests connect from), for the tests of those limits. Classes sharing it share one context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@IntegrationTest
@TestPropertySource(properties = { "server.forward-headers-strategy=native",
		"tijori.forwarded.trusted-proxies=127.0.0.1/32", "tijori.login-throttle.max-failures-per-ip=3",
		"tijori.login-throttle.max-failures-per-account=1000", "tijori.orders.max-open=4", "tijori.orders.rate=8",
		"tijori.orders.rate-window=1h" })
public @interface TightLimits {

}
