package com.tijorihq.tijori.common;

import java.security.SecureRandom;

/** Opaque public ids: a type prefix and 20 random base62 characters (about 119 bits), never a database id. */
public final class Ids {

	private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		.toCharArray();

	private static final SecureRandom RANDOM = new SecureRandom();

	private Ids() {
	}

	public static String next(String prefix) {
		return prefix + random(20);
	}

	public static String random(int length) {
		char[] chars = new char[length];
		for (int i = 0; i < length; i++) {
			chars[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
		}
		return new String(chars);
	}

	/**
	 * A public id derived from {@code seed}: the same seed always gives the same id, so an update that names it is
	 * idempotent (used for payment attempts, keyed by the gateway's payment id).
	 */
	public static String derived(String prefix, String seed) {
		byte[] digest = Hashes.sha256(seed.getBytes(java.nio.charset.StandardCharsets.UTF_8));
		char[] chars = new char[20];
		for (int i = 0; i < chars.length; i++) {
			chars[i] = ALPHABET[(digest[i] & 0xFF) % ALPHABET.length];
		}
		return prefix + new String(chars);
	}

	/** Whether {@code id} could have been made by {@link #next(String)} with this prefix. */
	public static boolean looksLike(String prefix, String id) {
		return id != null && id.length() == prefix.length() + 20 && id.startsWith(prefix)
				&& id.substring(prefix.length()).chars().allMatch(Character::isLetterOrDigit)
				&& id.chars().allMatch(c -> c < 128);
	}

}
