package com.tijorihq.tijori.embedded;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for the embedded MVStore: one thread commits on behalf of every write waiting, so writes arriving
 * together share one commit instead of one each (commits dominated the embedded server's CPU under load).
 * <p>
 * A waiter joins the current batch; the committer swaps in a fresh batch, then calls {@link MVStore#commit()},
 * then completes the batch it swapped out. Because the swap happens after the waiter joined and the commit starts
 * after the swap, every commit covers all changes its waiters made. {@code commit()} also waits for a store already
 * in progress (H2's background writer, or a store forced by memory pressure), so a batch is never completed while
 * its changes are still being written. An idle committer is woken at once: a lone write waits for exactly one
 * commit, as it did before group commit.
 */
final class GroupCommitter {

	private static final Logger log = LoggerFactory.getLogger(GroupCommitter.class);

	private final MVStore store;

	private final AtomicReference<CompletableFuture<Void>> batch = new AtomicReference<>(new CompletableFuture<>());

	private final AtomicLong commits = new AtomicLong();

	private final AtomicLong waiters = new AtomicLong();

	private final Thread thread;

	private volatile boolean running = true;

	GroupCommitter(MVStore store) {
		this.store = store;
		// named like the server's own threads: it is part of the embedded database, not of Tijori's event loops
		this.thread = new Thread(this::run, "mongo-server-committer");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	/** Completes once a commit that started after this call has finished; never blocks the caller. */
	CompletableFuture<Void> awaitCommit() {
		CompletableFuture<Void> next = this.batch.get();
		this.waiters.incrementAndGet();
		LockSupport.unpark(this.thread);
		return next;
	}

	/** Commits this committer made; each covers every write waiting when it began. */
	long commits() {
		return this.commits.get();
	}

	/** Replies that waited for a commit (writes, and commands that ran while writes were unsaved). */
	long waiters() {
		return this.waiters.get();
	}

	/** Commits what is pending, releases its waiters and stops; called once no more commands arrive. */
	void stop() {
		this.running = false;
		LockSupport.unpark(this.thread);
		try {
			this.thread.join(10_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void run() {
		long served = 0;
		while (this.running) {
			long requested = this.waiters.get();
			if (requested == served) {
				// the count, not the park permit, says whether anyone waits: commit() may park on the store's lock
				// and a wake-up arriving then is consumed there
				LockSupport.park(this);
				continue;
			}
			commitBatch();
			served = requested;
		}
		commitBatch();
	}

	private void commitBatch() {
		// commits even when woken with nobody waiting: a waiter may hold this batch without having attached to it yet,
		// and a commit with nothing to store costs next to nothing
		CompletableFuture<Void> waiting = this.batch.getAndSet(new CompletableFuture<>());
		try {
			this.store.commit();
			this.commits.incrementAndGet();
			waiting.complete(null);
		}
		catch (RuntimeException | Error ex) {
			// never acknowledge a write that may not be on disk: its connection is closed instead
			log.error("Embedded MongoDB commit failed; closing the connections waiting for it", ex);
			waiting.completeExceptionally(ex);
		}
	}

}
