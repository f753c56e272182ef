package com.tijorihq.tijori.ops;

import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;

import com.tijorihq.tijori.TijoriApplication;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The prod profile never falls back to demo infrastructure: it refuses to start and names what is missing. */
class ProdProfileTests {

	@Test
	void refusesToStartWithoutMongodbUri() {
		assertThatThrownBy(() -> start("--MONGODB_URI=", "--RAZORPAY_KEY_ID=rzp_live_x", "--RAZORPAY_KEY_SECRET=s",
				"--RAZORPAY_WEBHOOK_SECRET=w"))
			.hasStackTraceContaining("MONGODB_URI");
	}

	@Test
	void refusesToStartWithoutGatewayKeys() {
		assertThatThrownBy(() -> start("--MONGODB_URI=mongodb://127.0.0.1:1/tijori"))
			.hasStackTraceContaining("RAZORPAY_KEY_ID")
			.hasStackTraceContaining("RAZORPAY_KEY_SECRET")
			.hasStackTraceContaining("RAZORPAY_WEBHOOK_SECRET");
	}

	private static void start(String... args) {
		String[] all = new String[args.length + 3];
		System.arraycopy(args, 0, all, 0, args.length);
		all[args.length] = "--server.port=0";
		all[args.length + 1] = "--spring.profiles.active=prod";
		all[args.length + 2] = "--logging.level.root=off";
		new SpringApplicationBuilder(TijoriApplication.class).run(all).close();
	}

}
