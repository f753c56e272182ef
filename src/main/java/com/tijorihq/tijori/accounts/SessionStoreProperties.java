package com.tijorihq.tijori.accounts;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How often a session's sliding expiry is written back: a request within {@code touchInterval} of the last stored
 * access costs only the session read. Sessions therefore expire between {@code 7d - touchInterval} and 7 days after
 * their last request.
 */
@ConfigurationProperties("tijori.session")
record SessionStoreProperties(@DefaultValue("5m") Duration touchInterval) {
}
