package com.tijorihq.tijori.gateway.payu;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * PayU's SHA-512 hashes (lowercase hex, UTF-8): the request hash of the hosted payment form, the reverse hash of
 * the response PayU posts back, and the hash of {@code postservice} API calls. Written from PayU's documented
 * formulas with JDK crypto; PayU's own {@code sdk-java} lists the udfs of the reverse hash in the wrong order, so
 * its code is deliberately not followed. Comparisons are constant time.
 */
public final class PayuHash {

	/** The user-defined fields PayU signs, in request order. */
	private static final String[] UDFS = { "udf1", "udf2", "udf3", "udf4", "udf5" };

	private PayuHash() {
	}

	/**
	 * {@code key|txnid|amount|productinfo|firstname|email|udf1|udf2|udf3|udf4|udf5||||||SALT} over the form's
	 * fields (missing ones count as empty).
	 */
	public static String request(Map<String, String> fields, String salt) {
		StringBuilder text = new StringBuilder();
		for (String name : new String[] { "key", "txnid", "amount", "productinfo", "firstname", "email" }) {
			text.append(field(fields, name)).append('|');
		}
		for (String udf : UDFS) {
			text.append(field(fields, udf)).append('|');
		}
		// udf6..udf10 are unused and empty: five more separators, then the salt
		text.append("|||||").append(salt);
		return sha512Hex(text.toString());
	}

	/**
	 * {@code [additionalCharges|]SALT|status||||||udf5|udf4|udf3|udf2|udf1|email|firstname|productinfo|amount|txnid|key}
	 * over the fields PayU posted back.
	 */
	public static String response(Map<String, String> fields, String salt) {
		StringBuilder text = new StringBuilder();
		String additionalCharges = fields.get("additionalCharges");
		if (additionalCharges != null && !additionalCharges.isEmpty()) {
			text.append(additionalCharges).append('|');
		}
		text.append(salt).append('|').append(field(fields, "status")).append("||||||");
		for (int i = UDFS.length - 1; i >= 0; i--) {
			text.append(field(fields, UDFS[i])).append('|');
		}
		for (String name : new String[] { "email", "firstname", "productinfo", "amount", "txnid" }) {
			text.append(field(fields, name)).append('|');
		}
		text.append(field(fields, "key"));
		return sha512Hex(text.toString());
	}

	/** {@code key|command|var1|SALT}: the hash of a {@code postservice} call (the other vars are not signed). */
	public static String api(String key, String command, String var1, String salt) {
		return sha512Hex(key + "|" + command + "|" + (var1 == null ? "" : var1) + "|" + salt);
	}

	/** Whether the form's {@code hash} is its request hash. */
	public static boolean verifyRequest(Map<String, String> fields, String salt) {
		return matches(request(fields, salt), fields.get("hash"));
	}

	/** Whether the posted-back {@code hash} is the reverse hash of the other fields. */
	public static boolean verifyResponse(Map<String, String> fields, String salt) {
		return matches(response(fields, salt), fields.get("hash"));
	}

	/** Whether an API call's {@code hash} is right. */
	public static boolean verifyApi(String key, String command, String var1, String salt, String hash) {
		return matches(api(key, command, var1, salt), hash);
	}

	/** Constant-time comparison of hex hashes; letter case is ignored, a missing hash never matches. */
	public static boolean matches(String expected, String actual) {
		if (expected == null || actual == null) {
			return false;
		}
		return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
				actual.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
	}

	static String sha512Hex(String text) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-512").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-512 is not available", ex);
		}
	}

	private static String field(Map<String, String> fields, String name) {
		String value = fields.get(name);
		return (value == null) ? "" : value;
	}

}
