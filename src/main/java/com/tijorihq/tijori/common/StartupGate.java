package com.tijorihq.tijori.common;

import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.ReactiveHealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Runs every {@link StartupTask} when the application starts and holds API requests until they are done, so the
 * first request can never race the unique indexes or the admin account. Nothing blocks: requests wait on a cached
 * {@code Mono}; readiness reports DOWN until it completes. Failed tasks are retried with backoff.
 */
@Component("startupTasks")
public class StartupGate implements SmartLifecycle, WebFilter, ReactiveHealthIndicator {

	private static final Logger log = LoggerFactory.getLogger(StartupGate.class);

	private static final Duration FOREVER = Duration.ofDays(365L * 100);

	private final Mono<Void> ready;

	private volatile Disposable running;

	private volatile boolean done;

	public StartupGate(List<StartupTask> tasks) {
		this.ready = Flux.fromIterable(tasks)
			.concatMap(task -> task.run()
				.doOnError(ex -> log.warn("Startup task '{}' failed, will retry: {}", task.name(), ex.toString())))
			.then()
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(10)))
			.doOnSuccess(v -> this.done = true)
			.cache(value -> FOREVER, error -> Duration.ZERO, () -> FOREVER);
	}

	@Override
	public void start() {
		this.running = this.ready.subscribe(v -> {
		}, ex -> log.error("Startup tasks failed", ex), () -> log.info("Startup tasks done; API open"));
	}

	@Override
	public void stop() {
		Disposable current = this.running;
		if (current != null) {
			current.dispose();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running != null && !this.running.isDisposed();
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (this.done || !exchange.getRequest().getPath().value().startsWith("/api/")) {
			return chain.filter(exchange);
		}
		return this.ready.timeout(Duration.ofSeconds(30))
			.onErrorMap(ex -> new TijoriException(HttpStatus.SERVICE_UNAVAILABLE, "starting",
					"Tijori is still starting.", List.of(), Duration.ofSeconds(2)))
			.then(chain.filter(exchange));
	}

	@Override
	public Mono<Health> health() {
		return Mono.just(this.done ? Health.up().build() : Health.outOfService().build());
	}

}
