package com.tijorihq.tijori.events;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Heartbeats and maximum lifetime for every {@link ConnectionStream} of the instance, from one periodic task per
 * event loop instead of a timer per stream. Each loop's task visits the streams of that loop: a heartbeat to each
 * one whose beat is due (every {@code heartbeat} from its own opening, so beats are spread as openings were, not
 * bunched after a change reached everyone), the end for those whose final change went out a tick ago or that are
 * past their lifetime, and it forgets those whose connection is gone. A tick costs a comparison per stream.
 */
@Component
class StreamTicker implements SmartLifecycle {

	private final long heartbeatNanos;

	private final long lifetimeNanos;

	private final long tickMillis;

	private final long tickNanos;

	private final ConcurrentHashMap<EventLoop, Loop> loops = new ConcurrentHashMap<>();

	private final AtomicInteger open = new AtomicInteger();

	private volatile boolean running;

	StreamTicker(EventsProperties properties) {
		this.heartbeatNanos = properties.heartbeat().toNanos();
		this.lifetimeNanos = properties.maxLifetime().toNanos();
		this.tickMillis = tick(properties.heartbeat(), properties.maxLifetime()).toMillis();
		this.tickNanos = TimeUnit.MILLISECONDS.toNanos(this.tickMillis);
	}

	/** A fraction of the shorter period, at most a second: a beat or an end is late by at most that. */
	static Duration tick(Duration heartbeat, Duration lifetime) {
		long shorter = Math.min(heartbeat.toMillis(), lifetime.toMillis());
		return Duration.ofMillis(Math.max(10, Math.min(1000, shorter / 4)));
	}

	/** Called on the stream's loop when it goes live. */
	void add(ConnectionStream stream) {
		stream.nextBeat = stream.openedAt + this.heartbeatNanos;
		this.loops.computeIfAbsent(stream.loop(), this::start).streams.add(stream);
		this.open.incrementAndGet();
	}

	/**
	 * Called on the stream's loop when its final change was written: the response ends on the first visit a whole
	 * tick later, so that a change's writes to every stream of the loop (and of the other loops, which share the
	 * cores) come before the streams' ends, and the ends of a loop's streams are made together.
	 */
	void endLater(ConnectionStream stream) {
		stream.nextBeat = System.nanoTime() + this.tickNanos;
	}

	/** Called on the stream's loop when it ends. */
	void remove(ConnectionStream stream) {
		Loop loop = this.loops.get(stream.loop());
		if (loop != null && loop.streams.remove(stream)) {
			this.open.decrementAndGet();
		}
	}

	int openStreams() {
		return this.open.get();
	}

	private Loop start(EventLoop eventLoop) {
		Loop loop = new Loop();
		loop.task = eventLoop.scheduleAtFixedRate(() -> visit(loop), this.tickMillis, this.tickMillis,
				TimeUnit.MILLISECONDS);
		return loop;
	}

	/** On the loop. */
	private void visit(Loop loop) {
		long now = System.nanoTime();
		// a visit may end streams, which removes them from the set: walk a copy
		for (ConnectionStream stream : loop.streams.toArray(ConnectionStream[]::new)) {
			if (!stream.isOpen()) {
				stream.release();
			}
			else if (stream.isEnding()) {
				if (now - stream.nextBeat >= 0) {
					stream.end();
				}
			}
			else if (now - stream.openedAt >= this.lifetimeNanos) {
				stream.end();
			}
			else if (now - stream.nextBeat >= 0) {
				stream.nextBeat += this.heartbeatNanos;
				stream.heartbeat();
			}
		}
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.loops.values().forEach(loop -> loop.task.cancel(false));
		this.loops.clear();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** One event loop's streams; touched only on that loop. */
	private static final class Loop {

		final Set<ConnectionStream> streams = new LinkedHashSet<>();

		ScheduledFuture<?> task;

	}

}
