package com.tijorihq.tijori.embedded;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the embedded MongoDB keeps its file and which loopback port it listens on (0 = any free port).
 */
@ConfigurationProperties("tijori.embedded-mongo")
public record EmbeddedMongoProperties(@DefaultValue("./data") Path dataDir, @DefaultValue("27018") int port) {
}
