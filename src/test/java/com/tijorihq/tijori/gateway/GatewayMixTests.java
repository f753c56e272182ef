package com.tijorihq.tijori.gateway;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import com.tijorihq.tijori.TijoriApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Live keys for one gateway do not leave the other gateways' sandboxes taking orders: such a mix refuses to
 * start, unless the operator opts in.
 */
class GatewayMixTests {

	private static final String[] LIVE_RAZORPAY = { "--RAZORPAY_KEY_ID=rzp_live_mixcheck0001",
			"--RAZORPAY_KEY_SECRET=live-secret", "--RAZORPAY_WEBHOOK_SECRET=live-webhook-secret" };

	@Test
	void liveRazorpayNextToThePaytmAndPayuSandboxesRefusesToStartAndSaysWhy() {
		assertThatThrownBy(() -> start(LIVE_RAZORPAY).close())
			.hasStackTraceContaining("Refusing to start with live razorpay next to the built-in sandbox of paytm, payu")
			.hasStackTraceContaining("TIJORI_GATEWAY_ALLOW_MIXED_MODES");
	}

	@Test
	void anExplicitOptInStartsTheMix() throws Exception {
		String[] args = new String[LIVE_RAZORPAY.length + 1];
		System.arraycopy(LIVE_RAZORPAY, 0, args, 0, LIVE_RAZORPAY.length);
		args[LIVE_RAZORPAY.length] = "--TIJORI_GATEWAY_ALLOW_MIXED_MODES=true";
		try (ConfigurableApplicationContext context = start(args)) {
			PaymentGateways gateways = context.getBean(PaymentGateways.class);
			assertThat(gateways.enabled()).extracting(PaymentGateway::sandbox).containsExactly(false, true, true);
		}
	}

	private static ConfigurableApplicationContext start(String... args) throws Exception {
		Path data = Files.createTempDirectory("tijori-mix");
		String[] all = new String[args.length + 6];
		System.arraycopy(args, 0, all, 0, args.length);
		all[args.length] = "--server.port=0";
		all[args.length + 1] = "--tijori.embedded-mongo.port=0";
		all[args.length + 2] = "--tijori.embedded-mongo.data-dir=" + data;
		all[args.length + 3] = "--logging.level.root=off";
		all[args.length + 4] = "--tijori.reconcile.enabled=false";
		all[args.length + 5] = "--spring.lifecycle.timeout-per-shutdown-phase=1s";
		return new SpringApplicationBuilder(TijoriApplication.class).run(all);
	}

}
