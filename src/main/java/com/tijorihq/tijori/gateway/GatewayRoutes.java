package com.tijorihq.tijori.gateway;

import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.springframework.web.reactive.function.server.RouterFunctions.route;

/** {@code GET /api/gateways}: which gateways a buyer may pick, and what a frontend needs to open each. */
@Configuration(proxyBeanMethods = false)
class GatewayRoutes {

	/** One enabled gateway; {@code checkout} holds only public values. */
	record GatewayResponse(String name, HealthStatus health, boolean sandbox, String publicKey,
			Map<String, String> checkout) {
	}

	record GatewaysResponse(String defaultGateway, List<GatewayResponse> items) {
	}

	@Bean
	RouterFunction<ServerResponse> gatewayRouter(PaymentGateways gateways, GatewayHealth health) {
		return route().path("/api/gateways", b -> b.GET("", request -> list(gateways, health))).build();
	}

	// built per request: sandbox URLs are known only once the server has its port, health changes
	private static Mono<ServerResponse> list(PaymentGateways gateways, GatewayHealth health) {
		return ServerResponse.ok()
			.bodyValue(new GatewaysResponse(gateways.defaultGateway().name(), gateways.enabled()
				.stream()
				.map(gateway -> new GatewayResponse(gateway.name(), health.status(gateway), gateway.sandbox(),
						gateway.publicKeyId(), gateway.checkoutInfo()))
				.toList()));
	}

}
