package com.tijorihq.tijori.gateway.sandbox.paytm;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * The Paytm sandbox runs when no Paytm credentials are configured, or in the {@code sandbox} profile (a process
 * that is only the sandboxes); never in {@code prod}.
 */
class PaytmSandboxActive implements Condition {

	@Override
	public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Environment environment = context.getEnvironment();
		if (environment.matchesProfiles("prod")) {
			return false;
		}
		boolean configured = StringUtils.hasText(environment.getProperty("tijori.paytm.mid"))
				|| StringUtils.hasText(environment.getProperty("tijori.paytm.merchant-key"));
		return !configured || environment.matchesProfiles("sandbox");
	}

}
