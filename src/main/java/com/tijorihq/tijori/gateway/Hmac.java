package com.tijorihq.tijori.gateway;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Hex HMAC-SHA256 as gateways use it for checkout and webhook signatures. Strings are always UTF-8 (the
 * razorpay-java helpers use the platform charset), bodies are hashed as the raw bytes received, and comparisons
 * are constant time so a forged signature cannot be guessed byte by byte.
 */
public final class Hmac {

	private static final String ALGORITHM = "HmacSHA256";

	private Hmac() {
	}

	/** Lowercase hex HMAC-SHA256 of {@code data} keyed with {@code key}. */
	public static String sha256Hex(String key, byte[] data) {
		try {
			Mac mac = Mac.getInstance(ALGORITHM);
			mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), ALGORITHM));
			return HexFormat.of().formatHex(mac.doFinal(data));
		}
		catch (NoSuchAlgorithmException | InvalidKeyException ex) {
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

	public static String sha256Hex(String key, String data) {
		return sha256Hex(key, data.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Whether {@code signature} is the hex HMAC-SHA256 of {@code data}; false for a missing key or signature.
	 * Hex letter case is ignored, everything else must match exactly.
	 */
	public static boolean matches(String key, byte[] data, String signature) {
		if (key == null || key.isEmpty() || signature == null || data == null) {
			return false;
		}
		byte[] expected = sha256Hex(key, data).getBytes(StandardCharsets.US_ASCII);
		byte[] actual = signature.trim().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8);
		return MessageDigest.isEqual(expected, actual);
	}

	public static boolean matches(String key, String data, String signature) {
		return data != null && matches(key, data.getBytes(StandardCharsets.UTF_8), signature);
	}

}
