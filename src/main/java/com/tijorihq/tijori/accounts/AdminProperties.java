package com.tijorihq.tijori.accounts;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code TIJORI_ADMIN_EMAIL} / {@code TIJORI_ADMIN_PASSWORD}: the administrator created at start-up. */
@ConfigurationProperties("tijori.admin")
record AdminProperties(String email, String password) {
}
