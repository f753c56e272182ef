package com.tijorihq.tijori.embedded;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;

/**
 * Holds back a connection's reply until the commit covering its command has finished, without holding the thread.
 * mongo-java-server 1.47.0 answers each command synchronously on its Netty event loop (the backend returns the
 * reply, the server writes it) and has no asynchronous variant, so the only non-blocking way to acknowledge a write
 * after its commit is to delay the reply's write here, on its way out. Waiting on the event loop instead would stall
 * every other connection it serves and cap a commit's batch at the number of event loops.
 * <p>
 * One instance per connection, used only on that connection's event loop. Replies leave in the order they were
 * written: once one is held, later ones queue behind it.
 */
final class CommitGate extends ChannelOutboundHandlerAdapter {

	private final Queue<Held> held = new ArrayDeque<>();

	private CompletableFuture<Void> nextReplyAwaits;

	/** The next reply written on this connection waits for {@code commit}. */
	void holdNextReply(CompletableFuture<Void> commit) {
		this.nextReplyAwaits = commit;
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
		CompletableFuture<Void> commit = this.nextReplyAwaits;
		this.nextReplyAwaits = null;
		if (commit == null && this.held.isEmpty()) {
			ctx.write(msg, promise);
			return;
		}
		this.held.add(new Held(msg, promise, commit));
		if (commit != null) {
			commit.whenComplete((done, failure) -> ctx.executor().execute(() -> release(ctx)));
		}
	}

	private void release(ChannelHandlerContext ctx) {
		boolean wrote = false;
		while (!this.held.isEmpty()) {
			Held next = this.held.peek();
			if (next.commit() != null && !next.commit().isDone()) {
				break;
			}
			this.held.remove();
			if (next.commit() != null && next.commit().isCompletedExceptionally()) {
				failAll(ctx, next);
				return;
			}
			ctx.write(next.msg(), next.promise());
			wrote = true;
		}
		if (wrote) {
			ctx.flush();
		}
	}

	/** The commit failed: the client must not see this write (or anything after it) acknowledged. */
	private void failAll(ChannelHandlerContext ctx, Held first) {
		Throwable cause = first.commit().handle((done, failure) -> failure).getNow(null);
		for (Held dropped = first; dropped != null; dropped = this.held.poll()) {
			ReferenceCountUtil.release(dropped.msg());
			dropped.promise().tryFailure(cause);
		}
		ctx.close();
	}

	private record Held(Object msg, ChannelPromise promise, CompletableFuture<Void> commit) {
	}

}
