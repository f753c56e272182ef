package com.tijorihq.tijori.gateway.sandbox.paytm;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

import com.tijorihq.tijori.gateway.sandbox.SandboxActive;

/**
 * The Paytm sandbox runs when no Paytm credentials are configured, or in the {@code sandbox} profile (a process
 * that is only the sandboxes); never in {@code prod}.
 */
class PaytmSandboxActive implements Condition {

	@Override
	public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
		return SandboxActive.standsIn(context.getEnvironment(), "tijori.paytm.mid", "tijori.paytm.merchant-key");
	}

}
