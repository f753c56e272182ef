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
public class SandboxActive implements Condition {

	static final String PROFILE = "sandbox";

	@Override
	public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
		return active(context.getEnvironment());
	}

	static boolean active(Environment environment) {
		return standsIn(environment, "tijori.razorpay.key-id", "tijori.razorpay.key-secret");
	}

	/**
	 * Whether a gateway's sandbox runs: none of the gateway's credential properties is set, or this process is
	 * the {@code sandbox} profile; never in {@code prod}. The rule of every gateway sandbox.
	 */
	public static boolean standsIn(Environment environment, String... credentialProperties) {
		if (environment.matchesProfiles("prod")) {
			return false;
		}
		for (String property : credentialProperties) {
			if (StringUtils.hasText(environment.getProperty(property))) {
				return environment.matchesProfiles(PROFILE);
			}
		}
		return true;
	}

}
