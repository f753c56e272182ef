package com.tijorihq.tijori.apidocs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * Every (method, path) that Tijori's own {@link RouterFunction} beans route, found by walking them with Spring's
 * visitors, so a test can hold the API description to the routes that really exist.
 */
final class Routes {

	private Routes() {
	}

	/** A route as {@code "POST /api/orders/{}/verify"}: path variables anonymised, so names may differ. */
	static String key(String method, String path) {
		return method.toUpperCase() + " " + path.replaceAll("\\{[^}]*}", "{}");
	}

	/** The routes of every RouterFunction bean declared in Tijori's packages. */
	static Set<String> of(ConfigurableApplicationContext context) {
		Set<String> routes = new TreeSet<>();
		var beanFactory = context.getBeanFactory();
		for (String name : context.getBeanNamesForType(RouterFunction.class)) {
			BeanDefinition definition = beanFactory.getMergedBeanDefinition(name);
			String declaredBy = (definition.getFactoryBeanName() != null)
					? context.getType(definition.getFactoryBeanName()).getName() : definition.getBeanClassName();
			if (declaredBy != null && declaredBy.startsWith("com.tijorihq.")) {
				context.getBean(name, RouterFunction.class).accept(new Collector(routes));
			}
		}
		return routes;
	}

	/** One alternative of a predicate: the methods it admits (null = any) and the path it matches (null = any). */
	private record Alternative(Set<HttpMethod> methods, String path) {
	}

	private static final class Collector implements RouterFunctions.Visitor {

		private final Set<String> routes;

		private final Deque<String> prefixes = new ArrayDeque<>(List.of(""));

		Collector(Set<String> routes) {
			this.routes = routes;
		}

		@Override
		public void startNested(RequestPredicate predicate) {
			List<Alternative> alternatives = alternatives(predicate);
			String path = alternatives.isEmpty() || alternatives.get(0).path() == null ? ""
					: alternatives.get(0).path();
			this.prefixes.push(this.prefixes.peek() + path);
		}

		@Override
		public void endNested(RequestPredicate predicate) {
			this.prefixes.pop();
		}

		@Override
		public void route(RequestPredicate predicate, HandlerFunction<?> handlerFunction) {
			for (Alternative alternative : alternatives(predicate)) {
				if (alternative.methods() == null && alternative.path() == null) {
					// a catch-all fallback (e.g. the sandbox's Razorpay-shaped 404 for unknown endpoints), not a route
					continue;
				}
				String path = this.prefixes.peek() + (alternative.path() != null ? alternative.path() : "");
				if (path.isEmpty()) {
					path = "/";
				}
				Set<HttpMethod> methods = (alternative.methods() != null) ? alternative.methods()
						: Set.of(HttpMethod.values());
				for (HttpMethod method : methods) {
					this.routes.add(key(method.name(), path));
				}
			}
		}

		@Override
		public void resources(Function<ServerRequest, reactor.core.publisher.Mono<Resource>> lookupFunction) {
		}

		@Override
		public void attributes(Map<String, Object> attributes) {
		}

		@Override
		public void unknown(RouterFunction<?> routerFunction) {
		}

	}

	/** Flattens a predicate tree (and/or of methods and paths) into its alternatives. */
	static List<Alternative> alternatives(RequestPredicate predicate) {
		TreeBuilder builder = new TreeBuilder();
		predicate.accept(builder);
		return builder.root.isEmpty() ? List.of(new Alternative(null, null)) : builder.root.get(0).get();
	}

	@FunctionalInterface
	private interface Node {

		List<Alternative> get();

	}

	private static final class TreeBuilder implements RequestPredicates.Visitor {

		private final List<Node> root = new ArrayList<>();

		private final Deque<List<Node>> open = new ArrayDeque<>();

		private void add(Node node) {
			(this.open.isEmpty() ? this.root : this.open.peek()).add(node);
		}

		@Override
		public void method(Set<HttpMethod> methods) {
			add(() -> List.of(new Alternative(methods, null)));
		}

		@Override
		public void path(String pattern) {
			add(() -> List.of(new Alternative(null, pattern)));
		}

		@Override
		public void pathExtension(String extension) {
			add(() -> List.of(new Alternative(null, null)));
		}

		@Override
		public void header(String name, String value) {
			add(() -> List.of(new Alternative(null, null)));
		}

		@Override
		public void queryParam(String name, String value) {
			add(() -> List.of(new Alternative(null, null)));
		}

		@Override
		public void startAnd() {
			this.open.push(new ArrayList<>());
		}

		@Override
		public void and() {
		}

		@Override
		public void endAnd() {
			List<Node> parts = this.open.pop();
			add(() -> {
				List<Alternative> result = List.of(new Alternative(null, null));
				for (Node part : parts) {
					List<Alternative> combined = new ArrayList<>();
					for (Alternative left : result) {
						for (Alternative right : part.get()) {
							combined.add(both(left, right));
						}
					}
					result = combined;
				}
				return result;
			});
		}

		@Override
		public void startOr() {
			this.open.push(new ArrayList<>());
		}

		@Override
		public void or() {
		}

		@Override
		public void endOr() {
			List<Node> parts = this.open.pop();
			add(() -> parts.stream().flatMap(part -> part.get().stream()).toList());
		}

		@Override
		public void startNegate() {
			this.open.push(new ArrayList<>());
		}

		@Override
		public void endNegate() {
			this.open.pop();
			add(() -> List.of(new Alternative(null, null)));
		}

		@Override
		public void unknown(RequestPredicate predicate) {
			add(() -> List.of(new Alternative(null, null)));
		}

		private static Alternative both(Alternative left, Alternative right) {
			Set<HttpMethod> methods = left.methods();
			if (methods == null) {
				methods = right.methods();
			}
			else if (right.methods() != null) {
				Set<HttpMethod> common = new java.util.HashSet<>(methods);
				common.retainAll(right.methods());
				methods = common;
			}
			String path = (left.path() == null) ? right.path()
					: (right.path() == null) ? left.path() : left.path() + right.path();
			return new Alternative(methods, path);
		}

	}

}
