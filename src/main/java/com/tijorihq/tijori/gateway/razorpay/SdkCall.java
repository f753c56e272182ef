package com.tijorihq.tijori.gateway.razorpay;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

import okhttp3.Call;
import okhttp3.HttpUrl;
import reactor.core.scheduler.Schedulers;

/**
 * What one SDK call needs beyond what razorpay-java passes along: where to send it, extra headers, timeouts, and
 * a way to abort it. razorpay-java is synchronous and keeps its HTTP client and headers in static fields, so the
 * only per-call channel into its interceptor is the thread running the call: {@link #run} binds this object to
 * the gateway thread for exactly the duration of the blocking call. Nothing crosses an asynchronous boundary, so
 * the usual objection to ThreadLocals in reactive code does not apply.
 */
final class SdkCall {

	private static final ThreadLocal<SdkCall> CURRENT = new ThreadLocal<>();

	private final HttpUrl target;

	private final Map<String, String> headers;

	private final Duration connectTimeout;

	private final Duration httpTimeout;

	private Call call;

	private boolean cancelled;

	private volatile int status;

	private volatile java.io.IOException failure;

	SdkCall(HttpUrl target, Map<String, String> headers, Duration connectTimeout, Duration httpTimeout) {
		this.target = target;
		this.headers = headers;
		this.connectTimeout = connectTimeout;
		this.httpTimeout = httpTimeout;
	}

	static SdkCall current() {
		return CURRENT.get();
	}

	<T> T run(Callable<T> sdkCall) throws Exception {
		CURRENT.set(this);
		try {
			return sdkCall.call();
		}
		finally {
			CURRENT.remove();
		}
	}

	HttpUrl target() {
		return this.target;
	}

	Map<String, String> headers() {
		return this.headers;
	}

	Duration connectTimeout() {
		return this.connectTimeout;
	}

	Duration httpTimeout() {
		return this.httpTimeout;
	}

	/** The HTTP status of the gateway's answer, 0 when none came. */
	int status() {
		return this.status;
	}

	void status(int status) {
		this.status = status;
	}

	/** The I/O error that ended the exchange, if any. */
	java.io.IOException failure() {
		return this.failure;
	}

	void failure(java.io.IOException failure) {
		this.failure = failure;
	}

	synchronized boolean cancelled() {
		return this.cancelled;
	}

	synchronized void attach(Call call) {
		this.call = call;
		if (this.cancelled) {
			call.cancel();
		}
	}

	/**
	 * Aborts the HTTP exchange so the gateway thread is free at once instead of after the read timeout. Closing a
	 * socket may block briefly, so it happens on boundedElastic, never on the timer thread that gave up.
	 */
	void cancel() {
		Call current;
		synchronized (this) {
			this.cancelled = true;
			current = this.call;
		}
		if (current != null) {
			Schedulers.boundedElastic().schedule(current::cancel);
		}
	}

}
