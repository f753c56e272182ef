package com.tijorihq.tijori.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;

/**
 * The real application on a random port, on its own embedded MongoDB (random port, fresh data dir per JVM), with
 * the gateway sandbox. Test classes that share this annotation share one application context. Observability is on,
 * as in production (tracing, correlation ids and the Prometheus registry; Boot's tests switch them off otherwise).
 * Every request can have its MongoDB commands counted ({@link MongoCommandCounter}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@AutoConfigureObservability
@Import({ TestClients.class, MongoCommandCounter.class })
public @interface IntegrationTest {

}
