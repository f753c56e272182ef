package com.tijorihq.tijori.common;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The client behind a chain of proxies is the rightmost X-Forwarded-For entry no trusted proxy wrote. */
class TrustedProxiesTests {

	private final TrustedProxies proxies = new TrustedProxies(List.of("10.0.0.0/8", "fd00::/8", "192.0.2.10"));

	@Test
	void theRightmostUntrustedEntryIsTheClientNeverTheLeftmost() throws Exception {
		assertThat(client("10.1.2.3", "6.6.6.6, 203.0.113.5")).isEqualTo("203.0.113.5");
		assertThat(client("10.1.2.3", "6.6.6.6, 203.0.113.5, 10.9.9.9, 192.0.2.10")).isEqualTo("203.0.113.5");
		assertThat(client("10.1.2.3", "6.6.6.6", "203.0.113.5")).as("several headers are one list")
			.isEqualTo("203.0.113.5");
		assertThat(client("10.1.2.3", "[2001:db8::1]:443, 203.0.113.5:8080")).isEqualTo("203.0.113.5");
		assertThat(client("fd00::5", "2001:db8::7")).isEqualTo("2001:db8:0:0:0:0:0:7");
	}

	@Test
	void anUntrustedPeerIsTheClientWhateverItForwards() throws Exception {
		assertThat(client("203.0.113.9", "10.1.1.1")).isEqualTo("203.0.113.9");
		assertThat(client("11.0.0.1", "6.6.6.6")).isEqualTo("11.0.0.1");
	}

	@Test
	void garbageStopsTheWalkAndIsNeverLookedUp() throws Exception {
		assertThat(client("10.1.2.3", "evil.example, unknown")).isEqualTo("10.1.2.3");
		assertThat(client("10.1.2.3", "203.0.113.5, evil.example")).isEqualTo("10.1.2.3");
		assertThat(client("10.1.2.3", "")).isEqualTo("10.1.2.3");
		assertThat(client("10.1.2.3")).isEqualTo("10.1.2.3");
		assertThat(client("10.1.2.3", "10.7.7.7")).as("all trusted: the farthest proxy").isEqualTo("10.7.7.7");
	}

	@Test
	void aBadRangeIsAStartUpError() {
		assertThatIllegalArgumentException().isThrownBy(() -> new TrustedProxies(List.of("10.0.0.0/33")));
		assertThatIllegalArgumentException().isThrownBy(() -> new TrustedProxies(List.of("proxy.internal")));
	}

	private String client(String peer, String... forwardedFor) throws Exception {
		return this.proxies.client(InetAddress.getByName(peer), List.of(forwardedFor)).getHostAddress();
	}

}
