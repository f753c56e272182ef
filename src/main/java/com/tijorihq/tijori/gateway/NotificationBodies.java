package com.tijorihq.tijori.gateway;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import com.tijorihq.tijori.common.Hashes;

/**
 * What adapters share when reading a server-to-server message from its raw bytes: form fields and the
 * deduplication key of a message that carries no event id of its own.
 */
public final class NotificationBodies {

	private NotificationBodies() {
	}

	/**
	 * The fields of an {@code application/x-www-form-urlencoded} body; a field sent twice is ambiguous, so only
	 * the first counts (the checksum covers that one). Malformed escapes are an {@link IllegalArgumentException}.
	 */
	public static Map<String, String> form(byte[] rawBody) {
		Map<String, String> fields = new LinkedHashMap<>();
		String text = new String(rawBody, StandardCharsets.UTF_8);
		if (text.isEmpty()) {
			return fields;
		}
		for (String pair : text.split("&")) {
			if (pair.isEmpty()) {
				continue;
			}
			int eq = pair.indexOf('=');
			String name = URLDecoder.decode((eq < 0) ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
			String value = (eq < 0) ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
			fields.putIfAbsent(name, value);
		}
		return Collections.unmodifiableMap(fields);
	}

	public static boolean isForm(HttpHeaders headers) {
		MediaType type = headers.getContentType();
		return type != null && MediaType.APPLICATION_FORM_URLENCODED.isCompatibleWith(type);
	}

	public static boolean isJson(HttpHeaders headers) {
		MediaType type = headers.getContentType();
		return type != null && MediaType.APPLICATION_JSON.isCompatibleWith(type);
	}

	/**
	 * A stable event id for a gateway that sends none, from what the message itself says (its transaction and
	 * status), never from its headers or its formatting: a replay with fresh headers, or the same notification
	 * re-encoded, is still a duplicate, while a later status of the same transaction is a new event.
	 */
	public static String eventId(String gateway, String... parts) {
		String key = gateway + "|" + String.join("|", parts);
		return gateway + ":" + HexFormat.of().formatHex(Hashes.sha256(key.getBytes(StandardCharsets.UTF_8)), 0, 20);
	}

}
