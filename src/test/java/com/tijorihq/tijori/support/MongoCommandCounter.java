package com.tijorihq.tijori.support;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import com.mongodb.RequestContext;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import com.mongodb.reactivestreams.client.ReactiveContextProvider;
import org.bson.BsonValue;
import reactor.core.CoreSubscriber;

import org.springframework.boot.autoconfigure.mongo.MongoClientSettingsBuilderCustomizer;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.server.WebFilter;

/**
 * Records the MongoDB commands each tagged HTTP request causes, as {@code "<command> <collection>"} (e.g.
 * {@code "find sessions"}). Send a request with the header {@value #HEADER} set to a fresh tag, then read
 * {@link #commands(String)}. The tag travels in the request's Reactor context to the driver (through its
 * {@link ReactiveContextProvider}), so background work running at the same time (the event tail, sweepers) is
 * never counted. Imported by {@link IntegrationTest}; untagged requests cost nothing.
 */
@TestConfiguration(proxyBeanMethods = false)
public class MongoCommandCounter {

	public static final String HEADER = "X-Test-Mongo-Tag";

	private static final String KEY = MongoCommandCounter.class.getName();

	private final Map<String, List<String>> commands = new ConcurrentHashMap<>();

	/** The commands the requests tagged {@code tag} have started so far, in order. */
	public List<String> commands(String tag) {
		return List.copyOf(this.commands.getOrDefault(tag, List.of()));
	}

	@Bean
	MongoClientSettingsBuilderCustomizer mongoCommandCounting() {
		CommandListener listener = new CommandListener() {
			@Override
			public void commandStarted(CommandStartedEvent event) {
				RequestContext context = event.getRequestContext();
				if (context != null && context.hasKey(KEY)) {
					BsonValue target = event.getCommand().get(event.getCommandName());
					String collection = (target != null && target.isString()) ? " " + target.asString().getValue()
							: "";
					MongoCommandCounter.this.commands
						.computeIfAbsent(context.get(KEY), tag -> new CopyOnWriteArrayList<>())
						.add(event.getCommandName() + collection);
				}
			}
		};
		ReactiveContextProvider contexts = subscriber -> {
			String tag = (subscriber instanceof CoreSubscriber<?> core) ? core.currentContext().getOrDefault(KEY, null)
					: null;
			return new TagContext(tag);
		};
		return builder -> builder.contextProvider(contexts).addCommandListener(listener);
	}

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	WebFilter mongoCommandTagging() {
		return (exchange, chain) -> {
			String tag = exchange.getRequest().getHeaders().getFirst(HEADER);
			return (tag == null) ? chain.filter(exchange) : chain.filter(exchange).contextWrite(c -> c.put(KEY, tag));
		};
	}

	/** The driver's view of one operation's context: just the tag, if any. */
	private record TagContext(String tag) implements RequestContext {

		@Override
		@SuppressWarnings("unchecked")
		public <T> T get(Object key) {
			return KEY.equals(key) ? (T) this.tag : null;
		}

		@Override
		public boolean hasKey(Object key) {
			return KEY.equals(key) && this.tag != null;
		}

		@Override
		public boolean isEmpty() {
			return this.tag == null;
		}

		@Override
		public void put(Object key, Object value) {
			throw new UnsupportedOperationException("read-only");
		}

		@Override
		public void delete(Object key) {
			throw new UnsupportedOperationException("read-only");
		}

		@Override
		public int size() {
			return (this.tag != null) ? 1 : 0;
		}

		@Override
		public Stream<Map.Entry<Object, Object>> stream() {
			return (this.tag != null) ? Stream.of(Map.entry(KEY, this.tag)) : Stream.empty();
		}

	}

}
