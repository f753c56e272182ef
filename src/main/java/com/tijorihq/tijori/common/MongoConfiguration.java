package com.tijorihq.tijori.common;

import com.mongodb.MongoClientSettings;
import com.mongodb.connection.TransportSettings;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.mongo.MongoClientSettingsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.convert.converter.Converter;
import org.springframework.data.convert.ReadingConverter;
import org.springframework.data.convert.WritingConverter;
import org.springframework.data.mongodb.ReactiveMongoDatabaseFactory;
import org.springframework.data.mongodb.SessionSynchronization;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.convert.MongoConverter;
import org.springframework.data.mongodb.core.convert.MongoCustomConversions;

/** How Tijori talks to MongoDB, where Boot's defaults cost more than they give here. */
@Configuration(proxyBeanMethods = false)
class MongoConfiguration {

	/**
	 * Boot's template, minus the transaction lookup. Tijori runs no MongoDB transactions (every change that must be
	 * atomic is one conditional write to one document; the embedded server has none), but by default the template
	 * looks for one in the Reactor context before every command: an error signal and its recovery, about five per
	 * checkout, seen in a profile.
	 */
	@Bean
	ReactiveMongoTemplate reactiveMongoTemplate(ReactiveMongoDatabaseFactory factory, MongoConverter converter) {
		ReactiveMongoTemplate template = new ReactiveMongoTemplate(factory, converter);
		template.setSessionSynchronization(SessionSynchronization.NEVER);
		return template;
	}

	/**
	 * The converters features declare as beans ({@link WritingConverter} or {@link ReadingConverter}), in place of
	 * the mapping for their types.
	 */
	@Bean
	MongoCustomConversions mongoCustomConversions(ObjectProvider<Converter<?, ?>> converters) {
		return new MongoCustomConversions(converters.orderedStream()
			.filter(converter -> converter.getClass().isAnnotationPresent(WritingConverter.class)
					|| converter.getClass().isAnnotationPresent(ReadingConverter.class))
			.toList());
	}

	/**
	 * The driver's sockets on native epoll, one event loop per core, where the platform has it (Linux; elsewhere
	 * Boot's Java NIO loops stay). Replies complete on these loops and the rest of the request runs on there.
	 */
	@Bean
	@Order(Ordered.LOWEST_PRECEDENCE)
	MongoClientSettingsBuilderCustomizer epollDriverTransport() {
		return new EpollTransport();
	}

	/** Runs after Boot's own Netty customizer, whose (then unused) NIO loops start no thread. */
	static final class EpollTransport implements MongoClientSettingsBuilderCustomizer, DisposableBean {

		private volatile EventLoopGroup loops;

		@Override
		public void customize(MongoClientSettings.Builder settings) {
			if (!Epoll.isAvailable()) {
				return;
			}
			this.loops = new EpollEventLoopGroup(Runtime.getRuntime().availableProcessors(),
					new DefaultThreadFactory("mongo-driver-epoll", true));
			settings.transportSettings(TransportSettings.nettyBuilder()
				.eventLoopGroup(this.loops)
				.socketChannelClass(EpollSocketChannel.class)
				.build());
		}

		@Override
		public void destroy() {
			EventLoopGroup loops = this.loops;
			if (loops != null) {
				loops.shutdownGracefully().awaitUninterruptibly();
			}
		}

	}

}
