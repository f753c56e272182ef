package com.tijorihq.tijori.gateway;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Known-answer vectors from the shared Razorpay reference, and tampering. */
class HmacTests {

	@Test
	void checkoutSignatureMatchesRazorpaysKnownAnswer() {
		assertThat(Hmac.sha256Hex("EnLs21M47BllR3X8PSFtjtbd", "order_IEIaMR65cu6nz3|pay_IH4NVgf4Dreq1l"))
			.isEqualTo("0d4e745a1838664ad6c9c9902212a32d627d68e917290b0ad5f08ff4561bc50f");
		assertThat(Hmac.sha256Hex("tijori_sandbox_secret", "order_RPZ8hDdz9sNvqA|pay_RPZ8k1zXn7L2bE"))
			.isEqualTo("0f11cc191edc29d130bc37d38cefe813a98555955ea2e82cbd98e47ee375e49e");
	}

	@Test
	void webhookSignatureIsOverTheRawBodyBytes() {
		byte[] body = "{\"a\":1,\"b\":2,\"c\":{\"d\":3}}".getBytes(StandardCharsets.UTF_8);
		assertThat(Hmac.sha256Hex("123456", body))
			.isEqualTo("2fe04e22977002e6c7cb553adab8b460cb9e2a4970d5953cb27a8472752e3bbc");
		assertThat(Hmac.matches("123456", body,
				"2fe04e22977002e6c7cb553adab8b460cb9e2a4970d5953cb27a8472752e3bbc")).isTrue();
		byte[] reformatted = "{\"a\": 1,\"b\":2,\"c\":{\"d\":3}}".getBytes(StandardCharsets.UTF_8);
		assertThat(Hmac.matches("123456", reformatted,
				"2fe04e22977002e6c7cb553adab8b460cb9e2a4970d5953cb27a8472752e3bbc")).isFalse();
	}

	@Test
	void nonAsciiIsHashedAsUtf8() {
		assertThat(Hmac.sha256Hex("k", "₹")).isEqualTo(Hmac.sha256Hex("k", "₹".getBytes(StandardCharsets.UTF_8)));
	}

	@Test
	void rejectsMissingOrMalformedInput() {
		assertThat(Hmac.matches("k", "data", null)).isFalse();
		assertThat(Hmac.matches(null, "data", "00")).isFalse();
		assertThat(Hmac.matches("", "data", "00")).isFalse();
		assertThat(Hmac.matches("k", "data", "")).isFalse();
		assertThat(Hmac.matches("k", "data", Hmac.sha256Hex("k", "data") + "00")).isFalse();
		assertThat(Hmac.matches("k", "data", Hmac.sha256Hex("k", "data").toUpperCase())).isTrue();
	}

}
