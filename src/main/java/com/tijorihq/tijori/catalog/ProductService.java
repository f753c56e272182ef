package com.tijorihq.tijori.catalog;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import reactor.core.publisher.Mono;

import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Service;

import com.tijorihq.tijori.common.Ids;
import com.tijorihq.tijori.common.Page;
import com.tijorihq.tijori.common.TijoriException;

/**
 * Catalog rules. A malformed id is answered like an unknown one (404), without a database round trip: ids are
 * opaque, and the contract lists 404 as the only error of reading or deleting one product.
 */
@Service
class ProductService implements ProductCatalog {

	private final ProductRepository products;

	/**
	 * Listing pages for a moment (TIJORI_CATALOG_LIST_CACHE, default 1 s): the hottest read of the shop, hammered
	 * by every client, changes rarely. Writes on this instance clear it at once; other replicas see a change within
	 * the TTL. Prices are never taken from here for an order: checkout reads the catalog itself.
	 */
	private final AsyncCache<Page.Request, Page<Product>> pages;

	ProductService(ProductRepository products, CatalogProperties properties) {
		this.products = products;
		this.pages = Caffeine.newBuilder()
			.expireAfterWrite(properties.listCache())
			.maximumSize(256)
			.executor(Runnable::run)
			.buildAsync();
	}

	Mono<Page<Product>> list(Page.Request request) {
		return Mono.fromFuture(() -> this.pages.get(request, (key, executor) -> load(key).toFuture()), true);
	}

	private Mono<Page<Product>> load(Page.Request request) {
		return Mono.zip(this.products.findLive(request.offset(), request.size()).map(ProductDocument::toProduct)
			.collectList(), this.products.countLive())
			.map(found -> new Page<>(found.getT1(), request.page(), request.size(), found.getT2()));
	}

	Mono<Product> get(String id) {
		return wellFormed(id).flatMap(this.products::findLive)
			.map(ProductDocument::toProduct)
			.switchIfEmpty(Mono.error(ProductService::notFound));
	}

	Mono<Product> create(ProductCreateRequest request) {
		ProductDocument product = ProductDocument.create(Ids.next(ProductDocument.PREFIX), request.name(),
				request.description(), request.price().toMoney(), request.active(), now());
		return this.products.insert(product).map(ProductDocument::toProduct).doFinally(signal -> clearPages());
	}

	Mono<Product> update(String id, PatchBody<ProductUpdateRequest> patch) {
		ProductUpdateRequest changes = patch.value();
		Update update = new Update();
		if (changes.name() != null) {
			update.set("name", changes.name());
		}
		if (patch.has("description")) {
			if (changes.description() != null) {
				update.set("description", changes.description());
			}
			else {
				update.unset("description");
			}
		}
		if (changes.price() != null) {
			update.set("amount", changes.price().amount()).set("currency", changes.price().currency());
		}
		if (changes.active() != null) {
			update.set("active", changes.active());
		}
		if (update.getUpdateObject().isEmpty()) {
			return get(id);
		}
		return wellFormed(id).flatMap(publicId -> this.products.update(publicId, update, now()))
			.doFinally(signal -> clearPages())
			.map(ProductDocument::toProduct)
			.switchIfEmpty(Mono.error(ProductService::notFound));
	}

	Mono<Void> delete(String id) {
		return wellFormed(id).flatMap(publicId -> this.products.softDelete(publicId, now()))
			.doFinally(signal -> clearPages())
			.filter(Boolean::booleanValue)
			.switchIfEmpty(Mono.error(ProductService::notFound))
			.then();
	}

	private void clearPages() {
		this.pages.synchronous().invalidateAll();
	}

	@Override
	public Mono<Map<String, Product>> findOrderable(Collection<String> ids) {
		Set<String> wanted = ids.stream()
			.filter(id -> Ids.looksLike(ProductDocument.PREFIX, id))
			.collect(Collectors.toUnmodifiableSet());
		if (wanted.isEmpty()) {
			return Mono.just(Map.of());
		}
		return this.products.findOrderable(wanted)
			.map(ProductDocument::toProduct)
			.collectMap(Product::id)
			.map(Map::copyOf);
	}

	private static Mono<String> wellFormed(String id) {
		return Ids.looksLike(ProductDocument.PREFIX, id) ? Mono.just(id) : Mono.empty();
	}

	/** MongoDB keeps milliseconds; truncating here makes what we return equal to what a later read returns. */
	private static Instant now() {
		return Instant.now().truncatedTo(ChronoUnit.MILLIS);
	}

	private static TijoriException notFound() {
		return TijoriException.notFound("Product");
	}

}
