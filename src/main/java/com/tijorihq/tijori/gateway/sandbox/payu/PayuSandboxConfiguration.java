package com.tijorihq.tijori.gateway.sandbox.payu;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

/** The PayU sandbox's beans and routes, behind {@link PayuSandboxActive}. */
@Configuration(proxyBeanMethods = false)
@Conditional(PayuSandboxActive.class)
class PayuSandboxConfiguration {

	private static final Logger log = LoggerFactory.getLogger(PayuSandboxConfiguration.class);

	static final String PATH = "/sandbox/payu";

	@Bean
	PayuSandboxHandler payuSandboxHandler(ReactiveMongoOperations mongo, PayuSandboxProperties properties,
			RequestBodies bodies) {
		return new PayuSandboxHandler(new PayuSandboxLedger(new PayuSandboxStore(mongo), properties), bodies);
	}

	@Bean
	RouterFunction<ServerResponse> payuSandboxRouter(PayuSandboxHandler handler, PayuSandboxProperties properties,
			RequestBodies bodies, SandboxProperties controls) {
		log.info("PayU sandbox serving {} (key {})", PATH, properties.key());
		ApiFaults faults = new ApiFaults("PayU", bodies);
		RouterFunction<ServerResponse> api = route().POST("/merchant/postservice", handler::postservice)
			.filter(faults.refundAnswers(request -> request.formData()
				.map(form -> "cancel_refund_transaction".equals(form.getFirst("command")))))
			.filter(faults::filter)
			.build();
		return route().path(PATH, sandbox -> sandbox.POST("/_payment", handler::payment)
			.POST("/pay", handler::pay)
			.add(api)
			.add(faults.routes(controls))).build();
	}

}
