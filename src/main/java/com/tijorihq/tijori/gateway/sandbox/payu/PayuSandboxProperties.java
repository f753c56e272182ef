package com.tijorihq.tijori.gateway.sandbox.payu;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The one merchant the sandbox knows: the same {@code tijori.payu.sandbox.*} pair the adapter uses in sandbox
 * mode. {@link #toString()} never prints the salt.
 */
@ConfigurationProperties("tijori.payu.sandbox")
record PayuSandboxProperties(@DefaultValue("tijoriSbx") String key,
		@DefaultValue("tijori_sandbox_salt") String salt) {

	@Override
	public String toString() {
		return "PayuSandboxProperties[key=" + this.key + "]";
	}

}
