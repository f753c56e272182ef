package com.tijorihq.tijori.events;

import io.netty.channel.Channel;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.http.ReactiveHttpOutputMessage;
import org.springframework.web.reactive.function.BodyInserter;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.WebSession;

import com.tijorihq.tijori.accounts.CurrentUser;
import com.tijorihq.tijori.common.TijoriException;

@Component
class EventHandler {

	static final String LAST_EVENT_ID = "Last-Event-ID";

	private final OrderStatusStreams streams;

	private final StreamLimits limits;

	EventHandler(OrderStatusStreams streams, StreamLimits limits) {
		this.streams = streams;
		this.limits = limits;
	}

	/**
	 * The order's status stream. When the client reconnects after the final event, 204 tells its EventSource to
	 * stop reconnecting (per the HTML standard) instead of opening an empty stream every few seconds. The caps are
	 * checked before the order is read; the stream's place is released when it ends.
	 */
	Mono<ServerResponse> orderEvents(ServerRequest request) {
		String orderId = request.pathVariable("id");
		Long lastEventId;
		try {
			lastEventId = lastEventId(request);
		}
		catch (TijoriException ex) {
			return Mono.error(ex);
		}
		return CurrentUser.require(request)
			.zipWith(request.session().map(WebSession::getId))
			.flatMap(userAndSession -> {
				StreamLimits.Permit permit = this.limits.acquire(userAndSession.getT2());
				Channel channel = ConnectionStream.channelOf(request.exchange().getResponse());
				return this.streams.open(userAndSession.getT1(), orderId, lastEventId, channel)
					.doOnError(ex -> permit.release())
					.doOnCancel(permit::release)
					.flatMap(opened -> {
						if (opened.finished()) {
							permit.release();
							return ServerResponse.noContent().build();
						}
						return ServerResponse.ok()
							.contentType(MediaType.TEXT_EVENT_STREAM)
							.cacheControl(CacheControl.noStore())
							// reverse proxies (nginx ingress) must pass each event on at once, not buffer it
							.header("X-Accel-Buffering", "no")
							.body((opened.events() != null)
									? frames(opened.events().doFinally(signal -> permit.release()))
									: direct(opened, permit, channel));
					});
			});
	}

	/**
	 * The head through the response as usual (it commits the headers and cookies). A stream that goes on is handed
	 * over to its connection ({@link StreamHandoff}), which it then holds with its place under the caps; the
	 * request's handling ends here.
	 */
	private static BodyInserter<Void, ReactiveHttpOutputMessage> direct(OrderStatusStreams.Opened opened,
			StreamLimits.Permit permit, Channel channel) {
		ConnectionStream live = opened.live();
		if (live != null) {
			channel.attr(ConnectionStream.NEXT).set(live.onRelease(permit::release));
		}
		return (message, context) -> {
			Mono<Void> head = message
				.writeAndFlushWith(Flux.just(Mono.just(message.bufferFactory().wrap(opened.head()))));
			return (live != null) ? head : head.doFinally(signal -> permit.release());
		};
	}

	/** Each frame flushed as it comes; the bytes are wrapped, not copied (they are shared between streams). */
	private static BodyInserter<Flux<byte[]>, ReactiveHttpOutputMessage> frames(Flux<byte[]> frames) {
		return (message, context) -> message
			.writeAndFlushWith(frames.map(bytes -> Mono.just(message.bufferFactory().wrap(bytes))));
	}

	private static Long lastEventId(ServerRequest request) {
		String value = request.headers().firstHeader(LAST_EVENT_ID);
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			long id = Long.parseLong(value.trim());
			if (id >= 0) {
				return id;
			}
		}
		catch (NumberFormatException ex) {
			// fall through to the 400
		}
		throw TijoriException.invalid(LAST_EVENT_ID, "must be an event id this stream sent (a non-negative number)");
	}

}
