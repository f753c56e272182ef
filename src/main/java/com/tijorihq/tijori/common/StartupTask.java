package com.tijorihq.tijori.common;

import reactor.core.publisher.Mono;

/**
 * Work that must finish before the API serves requests (indexes, the admin account, demo data). Tasks run once,
 * in order, without blocking any thread; see {@link StartupGate}.
 */
public interface StartupTask {

	String name();

	Mono<Void> run();

}
