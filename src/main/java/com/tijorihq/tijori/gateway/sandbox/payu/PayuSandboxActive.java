package com.tijorihq.tijori.gateway.sandbox.payu;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

import com.tijorihq.tijori.gateway.sandbox.SandboxActive;

/**
 * The PayU sandbox runs when neither {@code PAYU_KEY} nor {@code PAYU_SALT} is set, or in the {@code sandbox}
 * profile (a process that is only the sandboxes); never in {@code prod}.
 */
class PayuSandboxActive implements Condition {

	@Override
	public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
		return SandboxActive.standsIn(context.getEnvironment(), "tijori.payu.key", "tijori.payu.salt");
	}

}
