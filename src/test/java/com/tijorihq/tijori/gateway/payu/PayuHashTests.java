package com.tijorihq.tijori.gateway.payu;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Known-answer vectors from the reference file, and what a tampered field does to them. */
class PayuHashTests {

	private static final String SALT = "SALT1";

	private static final String REQUEST_HASH = "9305932acb138591316992238d85428ba3a5213db20a3e2be4ad315d65c557c1658e9b9e1e43b78839cb6b82637c76a2065a79f239ec50609623f31d03836f4f";

	private static final String RESPONSE_HASH = "d4e626c9c8f5e75c2f144d7ebd37c9a91f0efe5d505792611e65483900b530f6001782912f40cd48b257584d2861f45f0504991d1876327cb6ebb19d56db3501";

	private static final String VERIFY_PAYMENT_HASH = "2e3837319bd1a6946aacb451d10b2c75bd558f84cd0d3cc7d8b3532b5ae8373367832cf84b590cf01c2f2414f11061ee414ecc40186057f0b7a20159d353f139";

	private static Map<String, String> fields() {
		Map<String, String> fields = new HashMap<>();
		fields.put("key", "KEY1");
		fields.put("txnid", "TXN001");
		fields.put("amount", "10.00");
		fields.put("productinfo", "Widget");
		fields.put("firstname", "Asha");
		fields.put("email", "asha@example.com");
		fields.put("udf1", "u1");
		fields.put("udf2", "");
		fields.put("status", "success");
		return fields;
	}

	@Test
	void requestHashMatchesTheKnownAnswer() {
		assertThat(PayuHash.request(fields(), SALT)).isEqualTo(REQUEST_HASH);
	}

	@Test
	void responseHashMatchesTheKnownAnswer() {
		assertThat(PayuHash.response(fields(), SALT)).isEqualTo(RESPONSE_HASH);
	}

	@Test
	void verifyPaymentHashMatchesTheKnownAnswer() {
		assertThat(PayuHash.api("KEY1", "verify_payment", "TXN001", SALT)).isEqualTo(VERIFY_PAYMENT_HASH);
		assertThat(PayuHash.verifyApi("KEY1", "verify_payment", "TXN001", SALT, VERIFY_PAYMENT_HASH)).isTrue();
		assertThat(PayuHash.verifyApi("KEY1", "verify_payment", "TXN002", SALT, VERIFY_PAYMENT_HASH)).isFalse();
	}

	@Test
	void missingFieldsHashAsEmpty() {
		Map<String, String> fields = fields();
		fields.remove("udf2");
		assertThat(PayuHash.request(fields, SALT)).isEqualTo(REQUEST_HASH);
	}

	@Test
	void verifiesTheKnownAnswersAndIgnoresHexCase() {
		Map<String, String> request = fields();
		request.put("hash", REQUEST_HASH.toUpperCase());
		assertThat(PayuHash.verifyRequest(request, SALT)).isTrue();
		Map<String, String> response = fields();
		response.put("hash", RESPONSE_HASH);
		assertThat(PayuHash.verifyResponse(response, SALT)).isTrue();
	}

	@Test
	void rejectsATamperedFieldAWrongSaltOrAMissingHash() {
		for (String name : new String[] { "key", "txnid", "amount", "productinfo", "firstname", "email", "udf1",
				"status" }) {
			Map<String, String> response = fields();
			response.put("hash", RESPONSE_HASH);
			response.put(name, response.get(name) + "x");
			assertThat(PayuHash.verifyResponse(response, SALT)).as("tampered %s", name).isFalse();
		}
		Map<String, String> amount = fields();
		amount.put("amount", "1.00");
		amount.put("hash", REQUEST_HASH);
		assertThat(PayuHash.verifyRequest(amount, SALT)).isFalse();
		Map<String, String> salted = fields();
		salted.put("hash", RESPONSE_HASH);
		assertThat(PayuHash.verifyResponse(salted, "SALT2")).isFalse();
		assertThat(PayuHash.verifyResponse(fields(), SALT)).isFalse();
		assertThat(PayuHash.matches(RESPONSE_HASH, RESPONSE_HASH.substring(1))).isFalse();
	}

	@Test
	void theUdfsOfTheReverseHashAreInReverseOrder() {
		// the order PayU's sdk-java wrongly uses (udf1 first) must not verify
		Map<String, String> moved = fields();
		moved.put("udf1", "");
		moved.put("udf5", "u1");
		moved.put("hash", RESPONSE_HASH);
		assertThat(PayuHash.verifyResponse(moved, SALT)).isFalse();
	}

	@Test
	void additionalChargesPrefixTheReverseHash() {
		Map<String, String> fields = fields();
		fields.put("additionalCharges", "2.50");
		assertThat(PayuHash.response(fields, SALT)).isEqualTo(PayuHash.sha512Hex("2.50|SALT1|success||||||||||u1|"
				+ "asha@example.com|Asha|Widget|10.00|TXN001|KEY1"));
		fields.put("hash", RESPONSE_HASH);
		assertThat(PayuHash.verifyResponse(fields, SALT)).isFalse();
	}

}
