package com.tijorihq.tijori.gateway.sandbox;

import java.io.IOException;

import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.classreading.MetadataReaderFactory;

/**
 * The {@code sandbox} profile turns this application into nothing but the Razorpay sandbox, so load tests can run
 * the gateway as its own process: component scanning then skips every Tijori feature except the sandbox and
 * what it stands on ({@code common}, {@code embedded}). Done with Boot's {@link TypeExcludeFilter} hook because a
 * second {@code @SpringBootApplication} would confuse test-configuration discovery.
 */
class SandboxOnlyProfile implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	private static final String BASE = "com.tijorihq.tijori.";

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		if (context.getEnvironment().matchesProfiles(SandboxActive.PROFILE)) {
			context.getBeanFactory().registerSingleton("sandboxOnlyTypeExcludeFilter", new OnlySandbox());
		}
	}

	static final class OnlySandbox extends TypeExcludeFilter {

		@Override
		public boolean match(MetadataReader reader, MetadataReaderFactory factory) throws IOException {
			String name = reader.getClassMetadata().getClassName();
			return name.startsWith(BASE) && !name.startsWith(BASE + "gateway.sandbox.")
					&& !name.startsWith(BASE + "common.") && !name.startsWith(BASE + "embedded.");
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof OnlySandbox;
		}

		@Override
		public int hashCode() {
			return OnlySandbox.class.hashCode();
		}

	}

}
