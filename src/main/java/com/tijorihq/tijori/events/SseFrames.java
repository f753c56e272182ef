package com.tijorihq.tijori.events;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import org.springframework.stereotype.Component;

/**
 * Server-Sent Event frames as bytes, in the format Spring's SSE writer produced before: a change is encoded once
 * and the same bytes are written to every stream that follows its order.
 */
@Component
class SseFrames {

	static final String EVENT = "status";

	static final byte[] HEARTBEAT = ascii(":heartbeat\n\n");

	static final ByteBuf HEARTBEAT_CHUNK = chunk(HEARTBEAT);

	private final ObjectMapper json;

	SseFrames(ObjectMapper json) {
		this.json = json;
	}

	/** The change as one {@code status} event, its version the event id. */
	Frame status(OrderStatusEvent event) {
		String data;
		try {
			data = this.json.writeValueAsString(new OrderStatusEventResponse(event.orderId(), event.status(),
					event.at()));
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("Cannot encode a status event", ex);
		}
		byte[] bytes = ("id:" + event.version() + "\nevent:" + EVENT + "\ndata:" + data + "\n\n")
			.getBytes(StandardCharsets.UTF_8);
		return new Frame(event.version(), event.endsStream(), bytes);
	}

	/** The first bytes of a stream: what it follows, and the reconnect delay the client should use. */
	static byte[] preamble(String orderId, Duration retry) {
		return ascii(":status of " + orderId + "\nretry:" + retry.toMillis() + "\n\n");
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	/**
	 * The bytes as one chunk of a chunked HTTP/1.1 body (size line, bytes, CRLF), off the heap: written as they
	 * are to every connection (a duplicate each), with no encoder and no copy into a socket buffer. Its memory goes
	 * with the garbage collector (a JDK direct buffer), so it needs no release.
	 */
	static ByteBuf chunk(byte[] bytes) {
		byte[] size = ascii(Integer.toHexString(bytes.length) + "\r\n");
		ByteBuffer chunk = ByteBuffer.allocateDirect(size.length + bytes.length + 2);
		chunk.put(size).put(bytes).put((byte) '\r').put((byte) '\n').flip();
		return Unpooled.wrappedBuffer(chunk);
	}

	/**
	 * One encoded status change: its bytes, and the same as one chunk of a chunked body ({@link SseFrames#chunk}),
	 * made when a connection stream first writes it (a head written through WebFlux never needs it).
	 */
	static final class Frame {

		private final long version;

		private final boolean endsStream;

		private final byte[] bytes;

		private volatile ByteBuf chunk;

		/** @param bytes never modified once built: shared by every stream it is written to */
		Frame(long version, boolean endsStream, byte[] bytes) {
			this.version = version;
			this.endsStream = endsStream;
			this.bytes = bytes;
		}

		long version() {
			return this.version;
		}

		boolean endsStream() {
			return this.endsStream;
		}

		byte[] bytes() {
			return this.bytes;
		}

		/** Made at most a few times (by event loops racing for it), then shared. */
		ByteBuf chunk() {
			ByteBuf made = this.chunk;
			if (made == null) {
				made = SseFrames.chunk(this.bytes);
				this.chunk = made;
			}
			return made;
		}

	}

}
