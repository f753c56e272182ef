package com.tijorihq.tijori.gateway.razorpay;

import java.time.Duration;

import com.tijorihq.tijori.gateway.BreakerProperties;

/** Adapter settings for tests that build their own adapter. */
final class RazorpayPropertiesFixtures {

	private RazorpayPropertiesFixtures() {
	}

	static RazorpayProperties properties(int threads, int queue) {
		return properties(threads, queue, Duration.ofSeconds(5), new BreakerProperties(50, 20, 10,
				Duration.ofSeconds(10)));
	}

	static RazorpayProperties properties(int threads, int queue, Duration callTimeout,
			BreakerProperties breaker) {
		return new RazorpayProperties(null, null, null, null, threads, queue, callTimeout, Duration.ofSeconds(1), 2,
				Duration.ofMillis(50), Duration.ofSeconds(3), breaker,
				new RazorpayProperties.Sandbox("rzp_test_sandboxTijori1", "tijori_sandbox_secret", "whsec"));
	}

}
