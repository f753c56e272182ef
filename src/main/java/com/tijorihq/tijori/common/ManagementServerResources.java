package com.tijorihq.tijori.common;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.web.embedded.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * The management server ({@code MANAGEMENT_SERVER_PORT}) runs on event loops of its own, closed with it. Boot builds
 * it without a resource factory, so it would run on Reactor Netty's JVM-wide loops, which any other application
 * context in the same JVM disposes when it closes (tests start and stop several): the actuator port would then go
 * dead while the main port lives on. Imported only into the management child context (see
 * {@code META-INF/spring/...ManagementContextConfiguration.imports}); the condition keeps component scanning from
 * adding it to the main context too.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
@Conditional(ManagementServerResources.InChildContext.class)
class ManagementServerResources {

	@Bean
	ReactorResourceFactory managementServerResources() {
		ReactorResourceFactory resources = new ReactorResourceFactory();
		resources.setUseGlobalResources(false);
		return resources;
	}

	@Bean
	WebServerFactoryCustomizer<NettyReactiveWebServerFactory> managementServerOwnLoops(
			ReactorResourceFactory managementServerResources) {
		return factory -> factory.setResourceFactory(managementServerResources);
	}

	/** True in the management child context: the only one here with a parent. */
	static class InChildContext implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return context.getBeanFactory() != null && context.getBeanFactory().getParentBeanFactory() != null;
		}

	}

}
