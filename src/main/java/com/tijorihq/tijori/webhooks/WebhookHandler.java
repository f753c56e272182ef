package com.tijorihq.tijori.webhooks;

import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import com.tijorihq.tijori.common.TijoriException;
import com.tijorihq.tijori.gateway.PaymentGateway;

@Component
class WebhookHandler {

	private final WebhookService webhooks;

	private final int maxBodyBytes;

	WebhookHandler(WebhookService webhooks, WebhookProperties properties) {
		this.webhooks = webhooks;
		this.maxBodyBytes = (int) Math.min(Integer.MAX_VALUE, properties.maxBodySize().toBytes());
	}

	/**
	 * Any gateway's webhook or notification: the raw bytes as sent (the signature covers exactly these), at most
	 * {@code maxBodySize}, handed to that gateway's adapter with the headers.
	 */
	Mono<ServerResponse> receive(ServerRequest request) {
		return Mono.defer(() -> {
			PaymentGateway gateway = this.webhooks.gateway(request.pathVariable("gateway"));
			return DataBufferUtils.join(request.bodyToFlux(DataBuffer.class), this.maxBodyBytes)
				.map(buffer -> {
					try {
						byte[] bytes = new byte[buffer.readableByteCount()];
						buffer.read(bytes);
						return bytes;
					}
					finally {
						DataBufferUtils.release(buffer);
					}
				})
				.defaultIfEmpty(new byte[0])
				.onErrorMap(DataBufferLimitException.class,
						ex -> new TijoriException(HttpStatus.PAYLOAD_TOO_LARGE, "payload_too_large",
								"The webhook body is larger than " + this.maxBodyBytes + " bytes."))
				.flatMap(body -> this.webhooks.receive(gateway, body, request.headers().asHttpHeaders()));
		})
			.flatMap(receipt -> ServerResponse.ok()
				.bodyValue(Map.of("id", receipt.eventId(), "status", receipt.duplicate() ? "duplicate" : "accepted")));
	}

}
