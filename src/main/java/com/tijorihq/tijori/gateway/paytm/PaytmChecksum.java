package com.tijorihq.tijori.gateway.paytm;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Paytm's checksum, as its published (MIT) {@code paytmpayments-checksum} library computes it, written with JDK
 * crypto because that library is not obtainable here: {@code hash = lowerhex(SHA-256(params + "|" + salt)) + salt},
 * checksum = Base64 of AES/CBC/PKCS5Padding of the hash under the merchant key with Paytm's fixed IV. Strings are
 * UTF-8; verification decrypts, takes the salt from the last four characters and compares in constant time.
 */
public final class PaytmChecksum {

	/** Paytm's IV: a constant of the algorithm, not a secret. */
	private static final byte[] IV = "@@@@&&&&####$$$$".getBytes(StandardCharsets.US_ASCII);

	private static final String SALT_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!@#$&_";

	private static final int SALT_LENGTH = 4;

	private static final SecureRandom RANDOM = new SecureRandom();

	/** The field of a callback form that carries the checksum (and is not covered by it). */
	public static final String CHECKSUMHASH = "CHECKSUMHASH";

	private PaytmChecksum() {
	}

	/** The checksum of {@code params} (a JSON body as sent, or {@link #callbackParams}) with a random salt. */
	public static String generate(String params, String merchantKey) {
		byte[] random = new byte[SALT_LENGTH];
		RANDOM.nextBytes(random);
		StringBuilder salt = new StringBuilder(SALT_LENGTH);
		for (byte b : random) {
			salt.append(SALT_CHARS.charAt((b & 0xff) % SALT_CHARS.length()));
		}
		return generate(params, merchantKey, salt.toString());
	}

	/** With a given salt, for known-answer tests. */
	static String generate(String params, String merchantKey, String salt) {
		String hash = hash(params, salt);
		return Base64.getEncoder().encodeToString(crypt(Cipher.ENCRYPT_MODE, merchantKey,
				hash.getBytes(StandardCharsets.UTF_8)));
	}

	/**
	 * Whether {@code checksum} is a checksum of {@code params} under {@code merchantKey}; false for anything missing
	 * or malformed (bad Base64, wrong padding, a wrong key), never an exception.
	 */
	public static boolean verify(String params, String merchantKey, String checksum) {
		if (params == null || merchantKey == null || merchantKey.isEmpty() || checksum == null || checksum.isBlank()) {
			return false;
		}
		String hash;
		try {
			byte[] plain = crypt(Cipher.DECRYPT_MODE, merchantKey, Base64.getDecoder().decode(checksum.trim()));
			hash = new String(plain, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException | IllegalStateException ex) {
			return false;
		}
		if (hash.length() <= SALT_LENGTH) {
			return false;
		}
		String salt = hash.substring(hash.length() - SALT_LENGTH);
		return MessageDigest.isEqual(hash(params, salt).getBytes(StandardCharsets.UTF_8),
				hash.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * What a callback form's checksum covers: the values of every field but {@code CHECKSUMHASH}, ordered by
	 * field name, joined with {@code |}; a null value counts as empty.
	 */
	public static String callbackParams(Map<String, String> fields) {
		TreeMap<String, String> sorted = new TreeMap<>();
		fields.forEach((name, value) -> {
			if (!CHECKSUMHASH.equals(name)) {
				sorted.put(name, (value != null) ? value : "");
			}
		});
		return String.join("|", sorted.values());
	}

	private static String hash(String params, String salt) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256")
				.digest((params + "|" + salt).getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest) + salt;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

	private static byte[] crypt(int mode, String merchantKey, byte[] input) {
		byte[] key = merchantKey.getBytes(StandardCharsets.UTF_8);
		try {
			Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
			cipher.init(mode, new SecretKeySpec(key, "AES"), new IvParameterSpec(IV));
			return cipher.doFinal(input);
		}
		catch (java.security.InvalidKeyException ex) {
			// a merchant key is 16, 24 or 32 bytes; anything else can neither sign nor verify
			throw new IllegalStateException("The Paytm merchant key must be 16, 24 or 32 bytes long", ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Paytm checksum could not be computed", ex);
		}
	}

}
