package com.tijorihq.tijori.catalog;

import java.time.Instant;
import java.util.Collection;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoOperations;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Repository;

import com.tijorihq.tijori.common.MongoIndexes;

/**
 * Products in MongoDB. Every read filters out soft-deleted documents; every change is one atomic conditional
 * write, so concurrent PATCHes of different fields both survive and a deleted product cannot be revived.
 */
@Repository
class ProductRepository {

	/**
	 * Oldest first, ties broken by the unique public id: a total order, so offset pages neither repeat nor skip a
	 * product, and new products land on the last page instead of shifting every page.
	 */
	static final Sort LISTING = Sort.by(Sort.Order.asc("createdAt"), Sort.Order.asc("publicId"));

	private final ReactiveMongoOperations mongo;

	private final Mono<Void> indexes;

	ProductRepository(ReactiveMongoOperations mongo) {
		this.mongo = mongo;
		this.indexes = MongoIndexes.ensure(mongo, ProductDocument.COLLECTION,
				new Index("publicId", Sort.Direction.ASC).unique().named("uniq_public_id"),
				new Index().on("deleted", Sort.Direction.ASC)
					.on("createdAt", Sort.Direction.ASC)
					.on("publicId", Sort.Direction.ASC)
					.named("listing"));
	}

	/** Fails with {@code DuplicateKeyException} when the public id exists (deleted or not). */
	Mono<ProductDocument> insert(ProductDocument product) {
		return this.indexes.then(this.mongo.insert(product));
	}

	Mono<ProductDocument> findLive(String publicId) {
		return this.indexes.then(this.mongo.findOne(live(publicId), ProductDocument.class));
	}

	Flux<ProductDocument> findLive(long offset, int limit) {
		Query query = Query.query(notDeleted()).with(LISTING).skip(offset).limit(limit);
		return this.indexes.thenMany(this.mongo.find(query, ProductDocument.class));
	}

	Mono<Long> countLive() {
		return this.indexes.then(this.mongo.count(Query.query(notDeleted()), ProductDocument.class));
	}

	Flux<ProductDocument> findOrderable(Collection<String> publicIds) {
		Query query = Query.query(Criteria.where("publicId").in(publicIds).and("deleted").is(false).and("active")
			.is(true));
		return this.indexes.thenMany(this.mongo.find(query, ProductDocument.class));
	}

	/** Applies {@code update} to the live product and returns it as it is afterwards; empty when there is none. */
	Mono<ProductDocument> update(String publicId, Update update, Instant now) {
		update.set("updatedAt", now).inc("version", 1);
		return this.indexes.then(this.mongo.findAndModify(live(publicId), update,
				FindAndModifyOptions.options().returnNew(true), ProductDocument.class));
	}

	/** Whether a live product was there to delete. */
	Mono<Boolean> softDelete(String publicId, Instant now) {
		Update update = new Update().set("deleted", true).set("deletedAt", now).set("updatedAt", now).inc("version", 1);
		return this.indexes.then(this.mongo.updateFirst(live(publicId), update, ProductDocument.class))
			.map(result -> result.getModifiedCount() == 1);
	}

	private static Query live(String publicId) {
		return Query.query(Criteria.where("publicId").is(publicId).and("deleted").is(false));
	}

	private static Criteria notDeleted() {
		return Criteria.where("deleted").is(false);
	}

}
