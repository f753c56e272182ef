package com.tijorihq.tijori.accounts;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Slow adaptive hashing (bcrypt through Spring Security's delegating encoder) costs tens of milliseconds of CPU,
 * so it runs on the bounded CPU scheduler, never on the event loop.
 */
@Component
class PasswordHasher {

	/** Compared against when the account does not exist, so timing does not reveal which emails are registered. */
	private final String decoyHash;

	private final PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();

	private final Scheduler cpuScheduler;

	PasswordHasher(@Qualifier("cpuScheduler") Scheduler cpuScheduler) {
		this.cpuScheduler = cpuScheduler;
		this.decoyHash = this.encoder.encode("decoy-password-never-valid");
	}

	Mono<String> hash(String raw) {
		return Mono.fromCallable(() -> this.encoder.encode(raw)).subscribeOn(this.cpuScheduler);
	}

	Mono<Boolean> matches(String raw, String hash) {
		String against = (hash != null) ? hash : this.decoyHash;
		return Mono.fromCallable(() -> this.encoder.matches(raw, against) && hash != null)
			.subscribeOn(this.cpuScheduler);
	}

}
