package com.tijorihq.tijori.gateway.sandbox;

import java.time.Duration;

/**
 * The sandbox's current faults and webhook switch, changeable at runtime (tests, load tests) through the setters
 * or {@code PUT /sandbox/razorpay/_faults}; {@link #reset()} returns to the configured ones.
 */
public final class SandboxFaults {

	private final SandboxProperties properties;

	private volatile Duration latency;

	private volatile double errorRate;

	private volatile boolean hang;

	private volatile boolean amountMismatch;

	private volatile boolean duplicateWebhooks;

	private volatile boolean outOfOrderWebhooks;

	private volatile boolean webhooks;

	private volatile boolean loseRefundAnswers;

	private volatile boolean pendingRefunds;

	SandboxFaults(SandboxProperties properties) {
		this.properties = properties;
		reset();
	}

	public void reset() {
		SandboxProperties.Faults faults = this.properties.faults();
		this.latency = faults.latency();
		this.errorRate = faults.errorRate();
		this.hang = faults.hang();
		this.amountMismatch = faults.amountMismatch();
		this.duplicateWebhooks = faults.duplicateWebhooks();
		this.outOfOrderWebhooks = faults.outOfOrderWebhooks();
		this.webhooks = this.properties.webhooks().enabled();
		this.loseRefundAnswers = false;
		this.pendingRefunds = false;
	}

	public Duration latency() {
		return this.latency;
	}

	public void latency(Duration latency) {
		this.latency = (latency == null || latency.isNegative()) ? Duration.ZERO : latency;
	}

	public double errorRate() {
		return this.errorRate;
	}

	public void errorRate(double errorRate) {
		if (errorRate < 0 || errorRate > 1) {
			throw new IllegalArgumentException("errorRate must be from 0 to 1");
		}
		this.errorRate = errorRate;
	}

	public boolean hang() {
		return this.hang;
	}

	public void hang(boolean hang) {
		this.hang = hang;
	}

	public boolean amountMismatch() {
		return this.amountMismatch;
	}

	public void amountMismatch(boolean amountMismatch) {
		this.amountMismatch = amountMismatch;
	}

	public boolean duplicateWebhooks() {
		return this.duplicateWebhooks;
	}

	public void duplicateWebhooks(boolean duplicateWebhooks) {
		this.duplicateWebhooks = duplicateWebhooks;
	}

	public boolean outOfOrderWebhooks() {
		return this.outOfOrderWebhooks;
	}

	public void outOfOrderWebhooks(boolean outOfOrderWebhooks) {
		this.outOfOrderWebhooks = outOfOrderWebhooks;
	}

	/** Whether webhooks are delivered (events created while off are never sent). */
	public boolean webhooks() {
		return this.webhooks;
	}

	public void webhooks(boolean webhooks) {
		this.webhooks = webhooks;
	}

	/**
	 * Whether refunds are made and then answered as if the connection broke (HTTP 504), so a test can lose a
	 * refund's answer on purpose.
	 */
	public boolean loseRefundAnswers() {
		return this.loseRefundAnswers;
	}

	public void loseRefundAnswers(boolean loseRefundAnswers) {
		this.loseRefundAnswers = loseRefundAnswers;
	}

	/** New refunds stay {@code pending} until {@code POST /_process_refunds}, as Razorpay's sometimes do. */
	public boolean pendingRefunds() {
		return this.pendingRefunds;
	}

	public void pendingRefunds(boolean pendingRefunds) {
		this.pendingRefunds = pendingRefunds;
	}

	Snapshot snapshot() {
		return new Snapshot(this.latency.toMillis(), this.errorRate, this.hang, this.amountMismatch,
				this.duplicateWebhooks, this.outOfOrderWebhooks, this.webhooks, this.loseRefundAnswers, this.pendingRefunds);
	}

	void apply(Snapshot.Update update) {
		if (update.latencyMs() != null) {
			latency(Duration.ofMillis(update.latencyMs()));
		}
		if (update.errorRate() != null) {
			errorRate(update.errorRate());
		}
		if (update.hang() != null) {
			hang(update.hang());
		}
		if (update.amountMismatch() != null) {
			amountMismatch(update.amountMismatch());
		}
		if (update.duplicateWebhooks() != null) {
			duplicateWebhooks(update.duplicateWebhooks());
		}
		if (update.outOfOrderWebhooks() != null) {
			outOfOrderWebhooks(update.outOfOrderWebhooks());
		}
		if (update.webhooks() != null) {
			webhooks(update.webhooks());
		}
		if (update.loseRefundAnswers() != null) {
			loseRefundAnswers(update.loseRefundAnswers());
		}
		if (update.pendingRefunds() != null) {
			pendingRefunds(update.pendingRefunds());
		}
	}

	/** The {@code _faults} resource. */
	record Snapshot(long latencyMs, double errorRate, boolean hang, boolean amountMismatch,
			boolean duplicateWebhooks, boolean outOfOrderWebhooks, boolean webhooks, boolean loseRefundAnswers,
			boolean pendingRefunds) {

		/** {@code PUT _faults}: only the fields sent change. */
		record Update(@jakarta.validation.constraints.Min(0) @jakarta.validation.constraints.Max(600_000) Long latencyMs,
				@jakarta.validation.constraints.DecimalMin("0") @jakarta.validation.constraints.DecimalMax("1") Double errorRate,
				Boolean hang, Boolean amountMismatch, Boolean duplicateWebhooks, Boolean outOfOrderWebhooks,
				Boolean webhooks, Boolean loseRefundAnswers, Boolean pendingRefunds) {
		}

	}

}
