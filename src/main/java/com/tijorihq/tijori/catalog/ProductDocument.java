package com.tijorihq.tijori.catalog;

import java.time.Instant;

import org.bson.types.ObjectId;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.mongodb.core.mapping.Document;

import com.tijorihq.tijori.common.Money;

/**
 * A stored product. Deletion is soft ({@code deleted} + {@code deletedAt}) so past orders keep pointing at a
 * document; {@code version} counts changes. The price is a {@code long} in the currency's smallest unit.
 */
@Document(ProductDocument.COLLECTION)
record ProductDocument(@Id ObjectId id, String publicId, String name, String description, long amount,
		String currency, boolean active, boolean deleted, Instant deletedAt, Instant createdAt, Instant updatedAt,
		@Version Long version) {

	static final String COLLECTION = "products";

	static final String PREFIX = "prod_";

	static ProductDocument create(String publicId, String name, String description, Money price, boolean active,
			Instant now) {
		return new ProductDocument(new ObjectId(), publicId, name, description, price.amount(), price.currency(),
				active, false, null, now, now, null);
	}

	Product toProduct() {
		return new Product(this.publicId, this.name, this.description, new Money(this.amount, this.currency),
				this.active);
	}

}
