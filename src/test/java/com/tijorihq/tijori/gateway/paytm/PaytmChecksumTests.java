package com.tijorihq.tijori.gateway.paytm;

import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** Paytm's checksum against the reference's known-answer vector, and what must not verify. */
class PaytmChecksumTests {

	private static final String KEY = "abcdEFGH12345678";

	private static final String PARAMS = "{\"mid\":\"MID123\",\"orderId\":\"ORD1\"}";

	private static final String VECTOR = "IyRswXMmkk90ogybh3Z5MtF4asXBuPCq2PAcdaVlY60al64s2RoA6YEtJHK+ipfdc+3viECDQ1HIwimzUpsKN0iA5TLOSNw+MyWZD1W+DC0=";

	@Test
	void theReferenceVectorVerifies() {
		assertThat(PaytmChecksum.verify(PARAMS, KEY, VECTOR)).isTrue();
	}

	@Test
	void generatingWithTheVectorsSaltGivesTheVector() {
		assertThat(PaytmChecksum.generate(PARAMS, KEY, "oorT")).isEqualTo(VECTOR);
	}

	@Test
	void aTamperedBodyWrongKeyOrDamagedChecksumIsRejected() {
		assertThat(PaytmChecksum.verify(PARAMS.replace("ORD1", "ORD2"), KEY, VECTOR)).isFalse();
		assertThat(PaytmChecksum.verify(PARAMS + " ", KEY, VECTOR)).isFalse();
		assertThat(PaytmChecksum.verify(PARAMS, "abcdEFGH12345679", VECTOR)).isFalse();
		byte[] raw = Base64.getDecoder().decode(VECTOR);
		raw[raw.length - 20] ^= 1;
		assertThat(PaytmChecksum.verify(PARAMS, KEY, Base64.getEncoder().encodeToString(raw))).isFalse();
		assertThat(PaytmChecksum.verify(PARAMS, KEY, "not base64 !")).isFalse();
		assertThat(PaytmChecksum.verify(PARAMS, KEY, "")).isFalse();
		assertThat(PaytmChecksum.verify(PARAMS, KEY, null)).isFalse();
		assertThat(PaytmChecksum.verify(PARAMS, "short", VECTOR)).isFalse();
	}

	@Test
	void randomSaltsDifferAndVerify() {
		Set<String> checksums = new HashSet<>();
		for (int i = 0; i < 20; i++) {
			String checksum = PaytmChecksum.generate(PARAMS, KEY);
			assertThat(PaytmChecksum.verify(PARAMS, KEY, checksum)).isTrue();
			checksums.add(checksum);
		}
		assertThat(checksums).hasSizeGreaterThan(15);
	}

	@Test
	void callbackParamsAreTheValuesSortedByNameWithoutTheChecksum() {
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("ORDERID", "ord_1");
		fields.put("MID", "M1");
		fields.put("CHECKSUMHASH", "ignored");
		fields.put("BANKNAME", null);
		fields.put("TXNAMOUNT", "499.00");
		assertThat(PaytmChecksum.callbackParams(fields)).isEqualTo("|M1|ord_1|499.00");

		String checksum = PaytmChecksum.generate(PaytmChecksum.callbackParams(fields), KEY);
		fields.put("CHECKSUMHASH", checksum);
		assertThat(PaytmChecksum.verify(PaytmChecksum.callbackParams(fields), KEY, checksum)).isTrue();
		fields.put("TXNAMOUNT", "1.00");
		assertThat(PaytmChecksum.verify(PaytmChecksum.callbackParams(fields), KEY, checksum)).isFalse();
	}

	@Test
	void aKeyOfTheWrongLengthCannotSign() {
		assertThatIllegalStateException().isThrownBy(() -> PaytmChecksum.generate(PARAMS, "short"));
	}

}
