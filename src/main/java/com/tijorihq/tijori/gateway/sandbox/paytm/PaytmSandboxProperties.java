package com.tijorihq.tijori.gateway.sandbox.paytm;

import java.time.Duration;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The one merchant the sandbox knows: the same {@code tijori.paytm.sandbox.*} pair the adapter uses in sandbox
 * mode.
 *
 * @param tokenValidity how long a {@code txnToken} may start a checkout (Paytm: 15 minutes)
 */
@Validated
@ConfigurationProperties("tijori.paytm.sandbox")
public record PaytmSandboxProperties(@NotBlank String mid, @NotBlank String merchantKey,
		@DefaultValue("15m") @NotNull Duration tokenValidity) {

	@Override
	public String toString() {
		return "PaytmSandboxProperties[mid=" + this.mid + "]";
	}

}
