package com.tijorihq.tijori.gateway;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import com.tijorihq.tijori.gateway.GatewayCallFailure.Kind;

/**
 * Each enabled gateway's health, from what is already known in memory: its breaker (open: down; half-open or
 * recent failures: degraded), its pool (full: down) and the last probe of its API (failed: down). Asking costs no
 * I/O, so checkout can ask on every order; only the scheduled probe talks to the gateways.
 */
@Component
public class GatewayHealth {

	private static final Logger log = LoggerFactory.getLogger(GatewayHealth.class);

	private final PaymentGateways gateways;

	private final Duration probeTimeout;

	/** Per gateway: the last probe that came to a conclusion; none yet counts as answered. */
	private final Map<String, Probe> probes = new ConcurrentHashMap<>();

	/** One probe's conclusion. */
	record Probe(boolean answered, Instant at, String problem) {
	}

	GatewayHealth(PaymentGateways gateways, GatewayProperties properties) {
		this.gateways = gateways;
		this.probeTimeout = properties.probe().timeout();
	}

	/** The health of one gateway right now. */
	public HealthStatus status(PaymentGateway gateway) {
		Probe probe = this.probes.get(gateway.name());
		if (gateway.refusal().isPresent() || (probe != null && !probe.answered())) {
			return HealthStatus.DOWN;
		}
		return gateway.callHealth();
	}

	/**
	 * The gateways an {@code auto} order may go to, among those {@code admits} (checkout's own admission has room
	 * for them): first those not down, in order of preference; then those down only by their probe, also in order
	 * of preference. A probe is a hint (on an overloaded host every probe may time out at once); a refusal (breaker
	 * open, pool full) is certain, and rules a gateway out.
	 */
	public List<PaymentGateway> usable(Predicate<PaymentGateway> admits) {
		List<PaymentGateway> admitted = this.gateways.enabled().stream().filter(admits).toList();
		List<PaymentGateway> usable = new ArrayList<>();
		List<PaymentGateway> probedDown = new ArrayList<>();
		for (PaymentGateway gateway : admitted) {
			if (status(gateway) != HealthStatus.DOWN) {
				usable.add(gateway);
			}
			else if (gateway.refusal().isEmpty()) {
				probedDown.add(gateway);
			}
		}
		usable.addAll(probedDown);
		return usable;
	}

	@Scheduled(fixedDelayString = "${tijori.gateway.probe.interval:5s}",
			initialDelayString = "${tijori.gateway.probe.initial-delay:0s}")
	Mono<Void> scheduled() {
		// deferred: Spring subscribes the one Mono this method returns on every tick
		return Mono.defer(this::probeNow);
	}

	/** Probes every enabled gateway once, all at once, each within the probe timeout. */
	public Mono<Void> probeNow() {
		return Flux.fromIterable(this.gateways.enabled()).flatMap(this::probe).then();
	}

	private Mono<Void> probe(PaymentGateway gateway) {
		return gateway.probe()
			.timeout(this.probeTimeout)
			.then(Mono.fromRunnable(() -> record(gateway, new Probe(true, Instant.now(), null))))
			.onErrorResume(ex -> {
				if (ex instanceof GatewayRejectedException) {
					// a "no" is an answer: the API is there
					record(gateway, new Probe(true, Instant.now(), null));
				}
				else if (!GatewayCallFailure.is(ex, Kind.BREAKER_OPEN, Kind.SATURATED)) {
					// a refusal of our own says nothing new about the API; the breaker or the pool already tell
					record(gateway, new Probe(false, Instant.now(), (ex instanceof TimeoutException)
							? "no answer within " + this.probeTimeout : ex.getMessage()));
				}
				return Mono.empty();
			})
			.then();
	}

	private void record(PaymentGateway gateway, Probe probe) {
		Probe was = this.probes.put(gateway.name(), probe);
		boolean wasAnswered = was == null || was.answered();
		if (wasAnswered != probe.answered()) {
			if (probe.answered()) {
				log.info("{} health probe answers again", gateway.name());
			}
			else {
				log.warn("{} health probe failed: {}", gateway.name(), probe.problem());
			}
		}
	}

}
