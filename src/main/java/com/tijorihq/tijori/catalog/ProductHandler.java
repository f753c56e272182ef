package com.tijorihq.tijori.catalog;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebInputException;

import com.tijorihq.tijori.common.Page;
import com.tijorihq.tijori.common.RequestBodies;
import com.tijorihq.tijori.common.TijoriException;

@Component
class ProductHandler {

	private final ProductService products;

	private final RequestBodies bodies;

	private final ObjectMapper objectMapper;

	ProductHandler(ProductService products, RequestBodies bodies, ObjectMapper objectMapper) {
		this.products = products;
		this.bodies = bodies;
		this.objectMapper = objectMapper;
	}

	Mono<ServerResponse> list(ServerRequest request) {
		return Mono.fromSupplier(() -> Page.Request.from(request))
			.flatMap(this.products::list)
			.map(page -> new Page<>(page.items().stream().map(ProductResponse::of).toList(), page.page(),
					page.size(), page.total()))
			.flatMap(page -> ServerResponse.ok().bodyValue(page));
	}

	Mono<ServerResponse> get(ServerRequest request) {
		return this.products.get(request.pathVariable("id"))
			.flatMap(product -> ServerResponse.ok().bodyValue(ProductResponse.of(product)));
	}

	Mono<ServerResponse> create(ServerRequest request) {
		return this.bodies.read(request, ProductCreateRequest.class)
			.flatMap(this.products::create)
			.flatMap(product -> ServerResponse.created(URI.create("/api/products/" + product.id()))
				.bodyValue(ProductResponse.of(product)));
	}

	Mono<ServerResponse> update(ServerRequest request) {
		return readPatch(request)
			.flatMap(patch -> this.products.update(request.pathVariable("id"), patch))
			.flatMap(product -> ServerResponse.ok().bodyValue(ProductResponse.of(product)));
	}

	Mono<ServerResponse> delete(ServerRequest request) {
		return this.products.delete(request.pathVariable("id")).then(ServerResponse.noContent().build());
	}

	/**
	 * Decodes the body once as a tree, to learn which fields were sent, then into the record with the same strict
	 * mapper; mapping errors take the usual path to a 400 with the offending field.
	 */
	private Mono<PatchBody<ProductUpdateRequest>> readPatch(ServerRequest request) {
		return this.bodies.read(request, JsonNode.class).flatMap(tree -> {
			if (!tree.isObject()) {
				return Mono.error(TijoriException.badRequest("malformed_body", "The request body must be a JSON object."));
			}
			ProductUpdateRequest body;
			try {
				body = this.objectMapper.treeToValue(tree, ProductUpdateRequest.class);
			}
			catch (JsonProcessingException ex) {
				return Mono.error(new ServerWebInputException("Invalid request body", null, ex));
			}
			Set<String> sent = new HashSet<>();
			tree.fieldNames().forEachRemaining(sent::add);
			List<TijoriException.FieldError> errors = new ArrayList<>(this.bodies.validate(body));
			for (String field : ProductUpdateRequest.REQUIRED) {
				if (tree.has(field) && tree.get(field).isNull()) {
					errors.add(new TijoriException.FieldError(field, "must not be null"));
				}
			}
			if (!errors.isEmpty()) {
				errors.sort(Comparator.comparing(TijoriException.FieldError::field));
				return Mono.error(TijoriException.invalid(errors));
			}
			return Mono.just(new PatchBody<>(body, sent));
		});
	}

}
