package com.tijorihq.tijori.accounts;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

import com.tijorihq.tijori.common.Ids;
import com.tijorihq.tijori.common.StartupTask;

/**
 * Creates the ADMIN account once. Without configured credentials, and only on the embedded (demo) database, it
 * creates {@code admin@tijori.local} with a random password that is printed once, when it is created.
 */
@Component
class AdminBootstrap implements StartupTask {

	private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

	static final String DEMO_ADMIN = "admin@tijori.local";

	private final AdminProperties properties;

	private final AccountService accounts;

	private final UserRepository users;

	private final boolean embedded;

	AdminBootstrap(AdminProperties properties, AccountService accounts, UserRepository users, Environment env) {
		this.properties = properties;
		this.accounts = accounts;
		this.users = users;
		this.embedded = !StringUtils.hasText(env.getProperty("MONGODB_URI"));
	}

	@Override
	public String name() {
		return "admin account";
	}

	@Override
	public Mono<Void> run() {
		boolean configured = StringUtils.hasText(this.properties.email())
				&& StringUtils.hasText(this.properties.password());
		if (!configured && !this.embedded) {
			log.info("No TIJORI_ADMIN_EMAIL/TIJORI_ADMIN_PASSWORD set: no admin account is created.");
			return Mono.empty();
		}
		String email = configured ? this.properties.email() : DEMO_ADMIN;
		String password = configured ? this.properties.password() : Ids.random(20);
		return this.users.findByEmail(email)
			.hasElement()
			.flatMap(exists -> exists ? Mono.empty()
					: this.accounts.create(email, password, "Administrator", List.of(TijoriUser.ADMIN))
						.doOnNext(user -> {
							if (configured) {
								log.info("Created admin account {}", email);
							}
							else {
								log.warn("Created demo admin account {} with password {} (shown once; set "
										+ "TIJORI_ADMIN_EMAIL and TIJORI_ADMIN_PASSWORD to choose your own)", email,
										password);
							}
						})
						.onErrorResume(org.springframework.dao.DuplicateKeyException.class, ex -> Mono.empty())
						.onErrorResume(com.tijorihq.tijori.common.TijoriException.class, ex -> Mono.empty())
						.then());
	}

}
