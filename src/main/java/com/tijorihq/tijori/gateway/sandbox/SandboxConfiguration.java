package com.tijorihq.tijori.gateway.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.mongodb.core.ReactiveMongoOperations;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import com.tijorihq.tijori.common.RequestBodies;

import static org.springframework.web.reactive.function.server.RouterFunctions.route;

/** The sandbox's beans and routes, all behind one switch: {@link SandboxActive}. */
@Configuration(proxyBeanMethods = false)
@Conditional(SandboxActive.class)
class SandboxConfiguration {

	private static final Logger log = LoggerFactory.getLogger(SandboxConfiguration.class);

	static final String PATH = "/sandbox/razorpay";

	@Bean
	SandboxFaults sandboxFaults(SandboxProperties properties) {
		return new SandboxFaults(properties);
	}

	@Bean
	SandboxStore sandboxStore(ReactiveMongoOperations mongo) {
		return new SandboxStore(mongo);
	}

	@Bean
	SandboxWebhooks sandboxWebhooks(SandboxStore store, SandboxProperties properties, SandboxFaults faults,
			ObjectMapper objectMapper, WebClient.Builder webClients) {
		return new SandboxWebhooks(store, properties, faults, objectMapper, webClients);
	}

	@Bean
	SandboxLedger sandboxLedger(SandboxStore store, SandboxProperties properties, SandboxFaults faults,
			SandboxWebhooks webhooks) {
		return new SandboxLedger(store, properties, faults, webhooks);
	}

	@Bean
	SandboxHandler sandboxHandler(SandboxLedger ledger, SandboxFaults faults, SandboxProperties properties,
			RequestBodies bodies) {
		return new SandboxHandler(ledger, faults, properties, bodies);
	}

	@Bean
	RouterFunction<ServerResponse> sandboxRouter(SandboxHandler handler, SandboxProperties properties) {
		log.info("Razorpay sandbox serving {} (key {}); webhooks {} to {}; faults {}", PATH, properties.keyId(),
				properties.webhooks().enabled() ? "delivered" : "NOT delivered",
				hasText(properties.webhooks().url()) ? properties.webhooks().url()
						: "this app's " + SandboxWebhooks.DEFAULT_PATH,
				properties.faults());
		return route().path(PATH, sandbox -> sandbox
			.path("/v1", v1 -> v1.POST("/orders", handler::createOrder)
				.GET("/orders", handler::listOrders)
				.GET("/orders/{id}", handler::order)
				.GET("/orders/{id}/payments", handler::orderPayments)
				.GET("/payments", handler::listPayments)
				.GET("/payments/{id}", handler::payment)
				.POST("/payments/{id}/capture", handler::capture)
				.POST("/payments/{id}/refund", handler::refund)
				.GET("/payments/{id}/refunds", handler::paymentRefunds)
				.GET("/refunds/{id}", handler::refundById)
				.route(RequestPredicates.all(), handler::unknownEndpoint)
				.filter(handler::api))
			.POST("/pay", handler::pay)
			.GET("/checkout", handler::checkout)
			.add(route().POST("/_late_authorization", handler::lateAuthorization)
				.POST("/_process_refunds", handler::processRefunds)
				.GET("/_faults", handler::faults)
				.PUT("/_faults", handler::updateFaults)
				.DELETE("/_faults", handler::resetFaults)
				.filter(SandboxControls.keyed(properties))
				.build()))
			.build();
	}

	private static boolean hasText(String value) {
		return value != null && !value.isBlank();
	}

}
