package com.tijorihq.tijori.embedded;

import com.mongodb.ConnectionString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Says which MongoDB mode runs, with the hosts only (the URI carries credentials), and enforces that the
 * {@code prod} profile never falls back to the embedded server.
 */
@Component
class ExternalMongoLogger {

	private static final Logger log = LoggerFactory.getLogger(ExternalMongoLogger.class);

	ExternalMongoLogger(Environment environment) {
		String uri = environment.getProperty("MONGODB_URI");
		boolean prod = environment.matchesProfiles("prod");
		if (prod && !StringUtils.hasText(uri)) {
			throw new IllegalStateException("The prod profile needs MONGODB_URI (e.g. a MongoDB Atlas URI); "
					+ "refusing to start on the embedded database.");
		}
		if (StringUtils.hasText(uri)) {
			log.info("MongoDB mode: EXTERNAL (MONGODB_URI) hosts {}", new ConnectionString(uri).getHosts());
		}
	}

}
