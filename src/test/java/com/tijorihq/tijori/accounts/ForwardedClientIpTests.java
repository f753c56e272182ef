package com.tijorihq.tijori.accounts;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;

import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.TightLimits;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With forwarded headers on, the per-IP login throttle counts the client the trusted proxy saw (the rightmost
 * untrusted {@code X-Forwarded-For} entry), whatever the client wrote to the left of it.
 */
@TightLimits
class ForwardedClientIpTests {

	/** {@code tijori.login-throttle.max-failures-per-ip} under {@link TightLimits}. */
	private static final int IP_BUDGET = 3;

	@Autowired
	ApiClients clients;

	@Test
	void aClientRotatingTheLeftmostForwardedForEntryIsStillOneClient() {
		String client = "203.0.113.7";
		for (int i = 0; i < IP_BUDGET; i++) {
			assertThat(wrongLogin(spoofed(i) + ", " + client)).isEqualTo(401);
		}
		assertThat(wrongLogin(spoofed(99) + ", " + client)).as("the same client, another made-up entry").isEqualTo(429);
		assertThat(wrongLogin(client)).isEqualTo(429);
		assertThat(wrongLogin("198.51.100.9")).as("another client behind the same proxy").isEqualTo(401);
	}

	@Test
	void entriesOfTrustedProxiesAreSkippedAndGarbageIsNotBelieved() {
		String client = "203.0.113.20";
		for (int i = 0; i < IP_BUDGET; i++) {
			// the client, then a second proxy hop that is trusted (the loopback proxy itself)
			assertThat(wrongLogin(client + ", 127.0.0.1")).isEqualTo(401);
		}
		assertThat(wrongLogin("10.9.9.9, " + client + ", 127.0.0.1")).isEqualTo(429);
		// what no proxy wrote: the throttle falls back to the proxy's own address, never to an unparseable entry
		assertThat(wrongLogin("not-an-address")).isIn(401, 429);
	}

	private static String spoofed(int i) {
		return "192.0.2." + (i + 1);
	}

	private int wrongLogin(String forwardedFor) {
		return this.clients.anonymous()
			.exchange(HttpMethod.POST, "/api/auth/login",
					Map.of("email", "nobody-" + UUID.randomUUID() + "@example.com", "password", "wrong-password-1"),
					Map.of("X-Forwarded-For", forwardedFor))
			.returnResult(Void.class)
			.getStatus()
			.value();
	}

}
