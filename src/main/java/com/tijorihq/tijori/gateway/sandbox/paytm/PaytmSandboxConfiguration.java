package com.tijorihq.tijori.gateway.sandbox.paytm;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.mongodb.core.ReactiveMongoOperations;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import com.tijorihq.tijori.common.RequestBodies;
import com.tijorihq.tijori.gateway.sandbox.SandboxProperties;
import com.tijorihq.tijori.gateway.sandbox.ApiFaults;

import static org.springframework.web.reactive.function.server.RouterFunctions.route;

/** The Paytm sandbox's beans and routes, all behind one switch: {@link PaytmSandboxActive}. */
@Configuration(proxyBeanMethods = false)
@Conditional(PaytmSandboxActive.class)
class PaytmSandboxConfiguration {

	private static final Logger log = LoggerFactory.getLogger(PaytmSandboxConfiguration.class);

	static final String PATH = "/sandbox/paytm";

	@Bean
	PaytmSandboxLedger paytmSandboxLedger(ReactiveMongoOperations mongo, PaytmSandboxProperties properties) {
		return new PaytmSandboxLedger(mongo, properties);
	}

	@Bean
	PaytmSandboxHandler paytmSandboxHandler(PaytmSandboxLedger ledger, PaytmSandboxProperties properties,
			ObjectMapper objectMapper, RequestBodies bodies) {
		return new PaytmSandboxHandler(ledger, properties, objectMapper, bodies);
	}

	@Bean
	RouterFunction<ServerResponse> paytmSandboxRouter(PaytmSandboxHandler handler, PaytmSandboxProperties properties,
			RequestBodies bodies, SandboxProperties controls) {
		log.info("Paytm sandbox serving {} (MID {})", PATH, properties.mid());
		ApiFaults faults = new ApiFaults("Paytm", bodies);
		RouterFunction<ServerResponse> api = route()
			.POST("/theia/api/v1/initiateTransaction", handler::initiate)
			.POST("/v3/order/status", handler::orderStatus)
			.add(route().POST("/refund/apply", handler::refund)
				.filter(faults.refundAnswers(request -> Mono.just(true)))
				.build())
			.POST("/v2/refund/status", handler::refundStatus)
			.filter(faults::filter)
			.build();
		return route().path(PATH, sandbox -> sandbox.add(api)
			.GET("/checkout", handler::checkout)
			.POST("/pay", handler::pay)
			.add(faults.routes(controls)))
			.build();
	}

}
