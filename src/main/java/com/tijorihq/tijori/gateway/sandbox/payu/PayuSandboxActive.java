package com.tijorihq.tijori.gateway.sandbox.payu;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * The PayU sandbox runs when neither {@code PAYU_KEY} nor {@code PAYU_SALT} is set, or in the {@code sandbox}
 * profile (a process that is only the sandboxes); never in {@code prod}.
 */
class PayuSandboxActive implements Condition {

	@Override
	public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Environment environment = context.getEnvironment();
		if (environment.matchesProfiles("prod")) {
			return false;
		}
		boolean credentials = StringUtils.hasText(environment.getProperty("tijori.payu.key"))
				|| StringUtils.hasText(environment.getProperty("tijori.payu.salt"));
		return !credentials || environment.matchesProfiles("sandbox");
	}

}
