package com.tijorihq.tijori.common;

import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The bounded scheduler for CPU-heavy work that must stay off the event loop (password hashing). Its queue is
 * bounded too, so a flood of logins is refused (503) instead of piling up.
 */
@Configuration(proxyBeanMethods = false)
class SchedulersConfiguration {

	@Bean(destroyMethod = "dispose")
	Scheduler cpuScheduler(TijoriProperties properties) {
		return Schedulers.newBoundedElastic(properties.cpuThreads(), properties.cpuQueue(), "tijori-cpu");
	}

}
