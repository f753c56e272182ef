package com.tijorihq.tijori.events;

import reactor.core.publisher.Mono;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import com.tijorihq.tijori.accounts.CurrentUser;
import com.tijorihq.tijori.common.TijoriException;

@Component
class EventHandler {

	static final String LAST_EVENT_ID = "Last-Event-ID";

	private final OrderStatusStreams streams;

	EventHandler(OrderStatusStreams streams) {
		this.streams = streams;
	}

	/**
	 * The order's status stream. When the client reconnects after the final event, 204 tells its EventSource to
	 * stop reconnecting (per the HTML standard) instead of opening an empty stream every few seconds.
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
			.flatMap(user -> this.streams.open(user, orderId, lastEventId))
			.flatMap(opened -> opened.finished() ? ServerResponse.noContent().build()
					: ServerResponse.ok()
						.contentType(MediaType.TEXT_EVENT_STREAM)
						.cacheControl(CacheControl.noStore())
						// reverse proxies (nginx ingress) must pass each event on at once, not buffer the stream
						.header("X-Accel-Buffering", "no")
						.body(BodyInserters.fromServerSentEvents(opened.events())));
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
