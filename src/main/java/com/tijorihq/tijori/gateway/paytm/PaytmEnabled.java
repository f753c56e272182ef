package com.tijorihq.tijori.gateway.paytm;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Whether there is a Paytm adapter at all: always when a credential is set (live, or a start-up error naming the
 * missing one), and against the built-in sandbox when neither is, except in {@code prod}, where Paytm is then
 * simply not offered.
 */
class PaytmEnabled implements Condition {

	@Override
	public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
		var environment = context.getEnvironment();
		return PaytmConfiguration
			.modes(environment.getProperty("tijori.paytm.mid"), environment.getProperty("tijori.paytm.merchant-key"))
			.offered(environment.matchesProfiles("prod"));
	}

}
