package com.tijorihq.tijori.reconciliation;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import com.tijorihq.tijori.common.TijoriException;

/** The opaque {@code cursor} of a JSON page: where the previous page's orders ended. */
final class Cursor {

	private Cursor() {
	}

	static String encode(BookedOrder.Position position) {
		String plain = position.createdAt().toEpochMilli() + ":" + position.orderId();
		return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
	}

	static BookedOrder.Position decode(String cursor) {
		try {
			String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
			int colon = plain.indexOf(':');
			String orderId = plain.substring(colon + 1);
			if (colon < 1 || orderId.isEmpty()) {
				throw new IllegalArgumentException(cursor);
			}
			return new BookedOrder.Position(Instant.ofEpochMilli(Long.parseLong(plain.substring(0, colon))), orderId);
		}
		catch (IllegalArgumentException | IndexOutOfBoundsException ex) {
			throw TijoriException.invalid("cursor", "must be the next value of a previous page");
		}
	}

}
