package com.tijorihq.tijori.events;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.AttributeKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.netty.Connection;
import reactor.netty.channel.ChannelOperations;
import reactor.netty.http.server.HttpServerResponse;

import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;

/**
 * A status stream after its first bytes: each change is written straight to the stream's connection, on the
 * connection's own event loop, as the shared bytes of the change wrapped (not copied); no operator chain, no queue
 * of its own. It holds its connection, its order id and the last version it sent, and nothing of the request that
 * opened it.
 * <p>
 * Its state is touched only on its event loop: the bus hands it changes there ({@link #executor()}), and the
 * {@link StreamTicker} of that loop sends its heartbeats, and ends it a tick after its final change or at its
 * maximum lifetime. Until the response's head (preamble and current status) is written, changes wait in a small
 * list; they are sent after it, each version once.
 * <p>
 * A client that stops reading is cut: more than {@code bufferSize} writes not yet taken by the socket close the
 * connection (counted in {@code tijori_sse_streams_cut}); the client reconnects after the {@code retry:} delay of
 * the preamble and resumes with {@code Last-Event-ID}.
 */
final class ConnectionStream implements OrderEventBus.Listener, ChannelFutureListener {

	private static final Logger log = LoggerFactory.getLogger(ConnectionStream.class);

	/** The stream a connection's current response continues with, from its head until {@link StreamHandoff}. */
	static final AttributeKey<ConnectionStream> NEXT = AttributeKey.valueOf(ConnectionStream.class.getName());

	private final Channel channel;

	private final EventLoop loop;

	private final String orderId;

	private final OrderEventBus bus;

	private final StreamTicker ticker;

	private final int bufferSize;

	/** The highest version sent (or covered by the head). */
	private long last;

	/** Changes that arrived before the head was written; null once live. */
	private List<SseFrames.Frame> early = new ArrayList<>(2);

	/** Writes handed to the connection and not yet taken by its socket. */
	private int unflushed;

	/** The response's end: completed when the stream ends (Reactor Netty then writes the last chunk). */
	private MonoSink<Void> end;

	/** Set once: a final status was sent, the instance stops, or the lifetime is over. */
	private boolean ending;

	private boolean slow;

	private boolean released;

	/** The HTTP codec's place in the pipeline when the body is chunked (it always is for HTTP/1.1 streams). */
	private ChannelHandlerContext codec;

	/** What else the stream's end releases (its place under the caps). */
	private Runnable onRelease = () -> {
	};

	/** When it was opened, and when its next heartbeat (or, once ending, its end) is due (System.nanoTime). */
	final long openedAt;

	long nextBeat;

	ConnectionStream(Channel channel, String orderId, long after, OrderEventBus bus, StreamTicker ticker,
			int bufferSize) {
		this.channel = channel;
		this.loop = channel.eventLoop();
		this.orderId = orderId;
		this.last = after;
		this.bus = bus;
		this.ticker = ticker;
		this.bufferSize = bufferSize;
		this.openedAt = System.nanoTime();
	}

	/**
	 * The connection a status stream may write to directly: an HTTP/1.1 connection of Reactor Netty without
	 * compression (its codec frames each write as a chunk); null otherwise (HTTP/2, another server, a mock), and the
	 * stream then runs as an ordinary body.
	 */
	static Channel channelOf(ServerHttpResponse response) {
		Object nativeResponse;
		try {
			nativeResponse = ServerHttpResponseDecorator.getNativeResponse(response);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
		if (nativeResponse instanceof Connection connection) {
			Channel channel = connection.channel();
			if (channel.pipeline().get(HttpServerCodec.class) != null
					&& channel.pipeline().get(HttpContentCompressor.class) == null) {
				return channel;
			}
		}
		return null;
	}

	/**
	 * The codec's context if the response the head went out on is chunked (HTTP/1.1, no length): pre-framed chunks
	 * may then be written past the encoder; null otherwise (the encoder frames each write).
	 */
	private static ChannelHandlerContext chunked(Channel channel) {
		if (channel.pipeline().get(HttpContentCompressor.class) == null
				&& ChannelOperations.get(channel) instanceof HttpServerResponse response
				&& HttpHeaderValues.CHUNKED.contentEqualsIgnoreCase(
						response.responseHeaders().get(HttpHeaderNames.TRANSFER_ENCODING, ""))) {
			return channel.pipeline().context(HttpServerCodec.class);
		}
		return null;
	}

	/** Starts collecting the order's changes (call before the current status is read). */
	ConnectionStream register() {
		this.bus.register(this.orderId, this);
		return this;
	}

	/** Runs once when the stream ends, however it ends. */
	ConnectionStream onRelease(Runnable action) {
		this.onRelease = action;
		return this;
	}

	/** The head was not sent after all (refused, failed, or the order's status is already final). */
	void abandon() {
		this.bus.unregister(this.orderId, this);
	}

	/** The head covers versions up to {@code version}: later changes only (set before {@link #live()}). */
	void headCovers(long version) {
		this.last = Math.max(this.last, version);
	}

	/**
	 * The response after the head: subscribed once the head is written, it sends what arrived meanwhile and then
	 * writes each change as it comes; it completes when the stream ends, and cancelling it (the client left)
	 * releases the stream.
	 */
	Mono<Void> live() {
		return Mono.create(sink -> {
			sink.onDispose(this::release);
			onLoop(() -> start(sink));
		});
	}

	@Override
	public Executor executor() {
		return this.loop;
	}

	/** On the loop. */
	@Override
	public void offer(SseFrames.Frame frame) {
		if (this.released || this.ending) {
			return;
		}
		if (this.early != null) {
			if (this.early.size() >= this.bufferSize) {
				this.slow = true;
				return;
			}
			this.early.add(frame);
			return;
		}
		send(frame);
	}

	@Override
	public void complete() {
		onLoop(this::end);
	}

	boolean isEnding() {
		return this.ending;
	}

	/** On the loop: the ticker's visit, a heartbeat due. */
	void heartbeat() {
		if (!this.released && !this.ending && this.end != null) {
			write(SseFrames.HEARTBEAT, SseFrames.HEARTBEAT_CHUNK);
		}
	}

	/** On the loop: the ticker's visit, a tick after the final change was sent, or at the maximum lifetime. */
	void end() {
		this.ending = true;
		finish();
	}

	boolean isOpen() {
		return !this.released && this.channel.isActive();
	}

	private void start(MonoSink<Void> sink) {
		this.end = sink;
		if (this.released) {
			return;
		}
		this.codec = chunked(this.channel);
		List<SseFrames.Frame> waiting = this.early;
		this.early = null;
		this.ticker.add(this);
		if (this.slow) {
			cut();
			return;
		}
		for (SseFrames.Frame frame : waiting) {
			if (!send(frame)) {
				return;
			}
		}
		finish();
	}

	/** Writes the change unless the stream had it; false when the stream is over. */
	private boolean send(SseFrames.Frame frame) {
		if (frame.version() <= this.last) {
			return true;
		}
		this.last = frame.version();
		if (!write(frame.bytes(), frame.chunk(), true)) {
			return false;
		}
		if (frame.endsStream()) {
			// the final change goes out now; the response's end (Reactor Netty's last chunk, the exchange's
			// completion, and the client's close that follows) waits for the ticker: it cost three times the
			// change's own write, and a change watched by thousands reached the last of them only after every
			// earlier stream had been ended
			this.ending = true;
			this.ticker.endLater(this);
			return false;
		}
		return true;
	}

	private boolean write(byte[] bytes, ByteBuf chunk) {
		return write(bytes, chunk, true);
	}

	private boolean write(byte[] bytes, ByteBuf chunk, boolean flush) {
		if (!this.channel.isActive()) {
			return false;
		}
		if (this.unflushed >= this.bufferSize) {
			cut();
			return false;
		}
		this.unflushed++;
		ChannelFuture written;
		if (this.codec != null) {
			// already framed as a chunk: from the codec's place in the pipeline on, past its encoder
			written = flush ? this.codec.writeAndFlush(chunk.retainedDuplicate())
					: this.codec.write(chunk.retainedDuplicate());
		}
		else {
			written = flush ? this.channel.writeAndFlush(Unpooled.wrappedBuffer(bytes))
					: this.channel.write(Unpooled.wrappedBuffer(bytes));
		}
		written.addListener(this);
		return true;
	}

	/** A write left (or failed to leave) for the socket; on the loop. */
	@Override
	public void operationComplete(ChannelFuture future) {
		this.unflushed--;
	}

	/** Closes the connection, pending bytes and all; the client reconnects and resumes with Last-Event-ID. */
	private void cut() {
		if (this.end == null || this.released) {
			return;
		}
		this.bus.countCut();
		log.info("Closed the status stream of {} to {}: the client did not keep up; it will resume with "
				+ "Last-Event-ID", this.orderId, this.channel.remoteAddress());
		this.channel.close();
		this.end.success();
	}

	/** Completes the response once it is live and ending (Reactor Netty then writes the last chunk). */
	private void finish() {
		if (this.ending && this.end != null && !this.released) {
			this.end.success();
		}
	}

	/** The response ended (completed, cut, or its client went away); any thread, any number of times. */
	void release() {
		onLoop(() -> {
			if (!this.released) {
				this.released = true;
				this.bus.unregister(this.orderId, this);
				this.ticker.remove(this);
				this.onRelease.run();
			}
		});
	}

	private void onLoop(Runnable task) {
		if (this.loop.inEventLoop()) {
			task.run();
		}
		else {
			this.loop.execute(task);
		}
	}

	EventLoop loop() {
		return this.loop;
	}

}
