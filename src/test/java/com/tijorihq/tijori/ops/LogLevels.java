package com.tijorihq.tijori.ops;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggerConfiguration;
import org.springframework.boot.logging.LoggingSystem;

/** Raises log levels for one test and puts them back afterwards (the application context is shared). */
final class LogLevels implements AutoCloseable {

	private final LoggingSystem loggingSystem;

	private final Map<String, LogLevel> previous = new LinkedHashMap<>();

	LogLevels(LoggingSystem loggingSystem, Map<String, LogLevel> levels) {
		this.loggingSystem = loggingSystem;
		levels.forEach((name, level) -> {
			LoggerConfiguration current = loggingSystem.getLoggerConfiguration(name);
			this.previous.put(name, (current != null) ? current.getConfiguredLevel() : null);
			loggingSystem.setLogLevel(name, level);
		});
	}

	@Override
	public void close() {
		this.previous.forEach(this.loggingSystem::setLogLevel);
	}

}
