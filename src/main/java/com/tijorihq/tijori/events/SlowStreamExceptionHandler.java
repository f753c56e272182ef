package com.tijorihq.tijori.events;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;

import com.tijorihq.tijori.common.LogContext;

/**
 * A status stream cut off for not keeping up is expected, not a server error: by the time it happens the response
 * is committed and Reactor Netty has already closed the connection, so there is nothing to write and nothing to
 * log above INFO. Ordered ahead of the problem handler, which would log it as unhandled.
 */
@Component
@Order(-3)
class SlowStreamExceptionHandler implements WebExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(SlowStreamExceptionHandler.class);

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
		if (!(ex instanceof SlowSubscriberException)) {
			return Mono.error(ex);
		}
		return LogContext.log(() -> log.info("Closed status stream {} [{}]: the client did not keep up; it will "
				+ "resume with Last-Event-ID", exchange.getRequest().getPath().value(), exchange.getRequest().getId()));
	}

}
