package com.tijorihq.tijori.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;

import com.tijorihq.tijori.common.Money;

/** A product on the wire; {@code description} is always present, {@code null} when there is none. */
record ProductResponse(String id, String name, @JsonInclude(JsonInclude.Include.ALWAYS) String description,
		Money price, boolean active) {

	static ProductResponse of(Product product) {
		return new ProductResponse(product.id(), product.name(), product.description(), product.price(),
				product.active());
	}

}
