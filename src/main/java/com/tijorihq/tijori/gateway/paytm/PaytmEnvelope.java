package com.tijorihq.tijori.gateway.paytm;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Paytm's signed JSON envelope {@code {"head":{"signature":…},"body":{…}}}, split without re-serialising anything:
 * the body's text is cut out by the streaming parser's character offsets, because the signature covers exactly
 * the characters that were sent. Used for Paytm's JSON notifications and by the sandbox for every API request.
 *
 * @param signature the head's signature, or null when the head has none
 * @param bodyText the {@code body} member exactly as received
 */
public record PaytmEnvelope(String signature, String bodyText) {

	/** @throws IllegalArgumentException naming what is wrong when {@code text} is not such an envelope */
	public static PaytmEnvelope parse(JsonFactory factory, String text) {
		String signature = null;
		String bodyText = null;
		boolean head = false;
		try (JsonParser parser = factory.createParser(text)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				throw new IllegalArgumentException("not a JSON object");
			}
			while (parser.nextToken() == JsonToken.FIELD_NAME) {
				String name = parser.currentName();
				JsonToken value = parser.nextToken();
				if ("body".equals(name) && value == JsonToken.START_OBJECT && bodyText == null) {
					int start = (int) parser.currentTokenLocation().getCharOffset();
					parser.skipChildren();
					int end = (int) parser.currentLocation().getCharOffset();
					bodyText = text.substring(start, end);
				}
				else if ("head".equals(name) && value == JsonToken.START_OBJECT && !head) {
					// read by hand: a strict mapper refuses trailing tokens, and the envelope goes on after the head
					head = true;
					while (parser.nextToken() == JsonToken.FIELD_NAME) {
						String field = parser.currentName();
						JsonToken token = parser.nextToken();
						if ("signature".equals(field) && token == JsonToken.VALUE_STRING) {
							signature = parser.getText();
						}
						else {
							parser.skipChildren();
						}
					}
				}
				else if ("head".equals(name) || "body".equals(name)) {
					throw new IllegalArgumentException(name);
				}
				else {
					parser.skipChildren();
				}
			}
			if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
				throw new IllegalArgumentException("trailing content");
			}
		}
		catch (IOException ex) {
			throw new IllegalArgumentException("malformed JSON");
		}
		if (bodyText == null) {
			throw new IllegalArgumentException("body");
		}
		return new PaytmEnvelope(signature, bodyText);
	}

}
