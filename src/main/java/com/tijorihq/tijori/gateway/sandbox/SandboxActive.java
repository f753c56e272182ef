package com.tijorihq.tijori.gateway.sandbox;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * The sandbox runs when no Razorpay keys are configured, or in the {@code sandbox} profile (a process that is
 * only the sandbox); never in {@code prod}.
 */
class SandboxActive implements Condition {

	static final String PROFILE = "sandbox";

	@Override
	public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
		return active(context.getEnvironment());
	}

	static boolean active(Environment environment) {
		if (environment.matchesProfiles("prod")) {
			return false;
		}
		boolean keys = StringUtils.hasText(environment.getProperty("tijori.razorpay.key-id"))
				|| StringUtils.hasText(environment.getProperty("tijori.razorpay.key-secret"));
		return !keys || environment.matchesProfiles(PROFILE);
	}

}
