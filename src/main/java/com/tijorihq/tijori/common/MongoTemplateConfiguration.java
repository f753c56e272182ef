package com.tijorihq.tijori.common;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.mongodb.ReactiveMongoDatabaseFactory;
import org.springframework.data.mongodb.SessionSynchronization;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.convert.MongoConverter;

/**
 * Boot's template, minus the transaction lookup. Tijori runs no MongoDB transactions (every change that must be
 * atomic is one conditional write to one document; the embedded server has none), but by default the template
 * looks for one in the Reactor context before every command: an error signal and its recovery, about five per
 * checkout, seen in a profile.
 */
@Configuration(proxyBeanMethods = false)
class MongoTemplateConfiguration {

	@Bean
	ReactiveMongoTemplate reactiveMongoTemplate(ReactiveMongoDatabaseFactory factory, MongoConverter converter) {
		ReactiveMongoTemplate template = new ReactiveMongoTemplate(factory, converter);
		template.setSessionSynchronization(SessionSynchronization.NEVER);
		return template;
	}

}
