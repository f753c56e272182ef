package com.tijorihq.tijori.embedded;

import com.mongodb.ConnectionString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.mongo.MongoConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Which MongoDB Tijori uses: {@code MONGODB_URI} when it is set (MongoDB Atlas in production), otherwise the
 * embedded server ({@link EmbeddedMongoConfiguration}). An empty {@code MONGODB_URI=} line, as in
 * {@code .env.example}, counts as unset. The {@code prod} profile never falls back to the embedded server.
 */
@Configuration(proxyBeanMethods = false)
class MongoModeConfiguration {

	/** Bound to {@code MONGODB_URI} in application.yml. */
	static final String URI_PROPERTY = "tijori.mongodb-uri";

	private static final Logger log = LoggerFactory.getLogger(MongoModeConfiguration.class);

	/** Runs before any bean is created, so nothing touches a database when the configuration is wrong. */
	@Bean
	static BeanFactoryPostProcessor prodNeedsMongodbUri(Environment environment) {
		return beanFactory -> {
			if (environment.matchesProfiles("prod") && !hasUri(environment)) {
				throw new IllegalStateException("The prod profile needs MONGODB_URI (e.g. a MongoDB Atlas "
						+ "connection string); refusing to start on the embedded database.");
			}
		};
	}

	@Bean
	@Conditional(HasMongoUri.class)
	MongoConnectionDetails externalMongoConnectionDetails(Environment environment) {
		ConnectionString connection = new ConnectionString(environment.getProperty(URI_PROPERTY).trim());
		// hosts only: the URI carries credentials
		log.info("MongoDB mode: EXTERNAL (MONGODB_URI) hosts {}", connection.getHosts());
		return () -> connection;
	}

	static boolean hasUri(Environment environment) {
		return StringUtils.hasText(environment.getProperty(URI_PROPERTY));
	}

	static class HasMongoUri implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return hasUri(context.getEnvironment());
		}

	}

}
