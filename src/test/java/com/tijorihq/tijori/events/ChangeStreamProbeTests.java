package com.tijorihq.tijori.events;

import java.lang.management.ManagementFactory;
import java.time.Duration;

import com.sun.management.OperatingSystemMXBean;
import org.bson.BsonValue;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ChangeStreamEvent;
import org.springframework.data.mongodb.core.ChangeStreamOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;

import com.tijorihq.tijori.support.IntegrationTest;

@IntegrationTest
class ChangeStreamProbeTests {

	@Autowired
	ReactiveMongoTemplate mongo;

	@Test
	void probe() throws Exception {
		OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
		long c0 = os.getProcessCpuTime();
		long t0 = System.nanoTime();
		Thread.sleep(3000);
		System.out.printf("PROBE idle cpu %.2f cores%n", (os.getProcessCpuTime() - c0) / (double) (System.nanoTime() - t0));

		BsonValue[] token = new BsonValue[1];
		var flux = this.mongo.changeStream("probe", ChangeStreamOptions.builder().build(), Document.class);
		StepVerifier.create(flux.take(1))
			.then(() -> this.mongo.insert(new Document("n", 1), "probe").subscribe())
			.assertNext(e -> { token[0] = e.getResumeToken(); System.out.println("PROBE event " + e.getBody() + " token " + token[0]); })
			.verifyComplete();
		this.mongo.insert(new Document("n", 2), "probe").block();
		var resumed = this.mongo.changeStream("probe", ChangeStreamOptions.builder().resumeAfter(token[0]).build(), Document.class);
		StepVerifier.create(resumed.take(1)).assertNext(e -> System.out.println("PROBE resumed " + e.getBody())).verifyComplete();

		Disposable open = this.mongo.changeStream("probe", ChangeStreamOptions.builder().build(), Document.class).subscribe();
		Thread.sleep(500);
		c0 = os.getProcessCpuTime();
		t0 = System.nanoTime();
		Thread.sleep(3000);
		System.out.printf("PROBE with open stream cpu %.2f cores%n", (os.getProcessCpuTime() - c0) / (double) (System.nanoTime() - t0));
		open.dispose();
	}

}
