package com.tijorihq.tijori.events;

import io.netty.channel.Channel;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;

/**
 * Ends a status stream's request once its head is written, and keeps the connection for the stream. WebFlux
 * handles the request as any other (session, security, the access check, the caps, the head); when that handling
 * completes, Reactor Netty would end the response, so the handling is extended here, outside WebFlux, by the
 * {@link ConnectionStream} the handler left on the connection. The request's exchange, filter chain, session and
 * security context are released at that point, instead of being held for the stream's life (they made up most of
 * an idle stream's memory).
 */
@Component
class StreamHandoff implements HttpHandlerDecoratorFactory {

	@Override
	public HttpHandler apply(HttpHandler handler) {
		return (request, response) -> {
			if (!mayStream(request)) {
				return handler.handle(request, response);
			}
			Channel channel = ConnectionStream.channelOf(response);
			if (channel == null) {
				return handler.handle(request, response);
			}
			return handler.handle(request, response)
				.then(Mono.defer(() -> {
					ConnectionStream next = channel.attr(ConnectionStream.NEXT).getAndSet(null);
					return (next != null) ? next.live() : Mono.<Void>empty();
				}))
				.doFinally(signal -> {
					// the handling failed or the client left before the stream took over
					ConnectionStream left = channel.attr(ConnectionStream.NEXT).getAndSet(null);
					if (left != null) {
						left.release();
					}
				});
		};
	}

	private static boolean mayStream(ServerHttpRequest request) {
		return request.getMethod() == HttpMethod.GET && request.getPath().value().endsWith("/events");
	}

}
