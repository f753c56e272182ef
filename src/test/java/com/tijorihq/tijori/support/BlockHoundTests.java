package com.tijorihq.tijori.support;

import java.time.Duration;

import io.netty.channel.nio.NioEventLoopGroup;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/** Proves BlockHound is installed for the test JVM, so the rest of the suite really runs under it. */
class BlockHoundTests {

	@Test
	void catchesABlockingCallOnANettyEventLoopThread() throws Exception {
		NioEventLoopGroup group = new NioEventLoopGroup(1);
		try {
			Throwable thrown = group.submit(() -> {
				try {
					Thread.sleep(1);
					return null;
				}
				catch (Throwable ex) {
					return ex;
				}
			}).get();
			assertThat(thrown).isInstanceOf(BlockingOperationError.class);
		}
		finally {
			group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
		}
	}

	@Test
	void catchesABlockingCallOnAReactorParallelThread() {
		StepVerifier.create(Mono.delay(Duration.ofMillis(1)).doOnNext(tick -> {
			try {
				Thread.sleep(1);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}).subscribeOn(Schedulers.parallel())).expectError(BlockingOperationError.class).verify(Duration.ofSeconds(5));
	}

	@Test
	void allowsBlockingOnTheBoundedElasticScheduler() {
		StepVerifier.create(Mono.fromCallable(() -> {
			Thread.sleep(1);
			return "ok";
		}).subscribeOn(Schedulers.boundedElastic())).expectNext("ok").verifyComplete();
	}

}
