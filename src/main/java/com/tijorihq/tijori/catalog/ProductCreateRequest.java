package com.tijorihq.tijori.catalog;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /api/products}. Name and description are stripped of surrounding white space before they
 * are validated; a blank description is no description. {@code active} defaults to true. Every constraint
 * carries a literal message: a {@code {…}} template makes Hibernate Validator load its message bundle from a jar
 * on first use, a blocking read on the event loop.
 */
record ProductCreateRequest(@NotBlank(message = "must not be blank") @Size(max = 200, message = "must be 1 to 200 characters") String name,
		@Size(max = 2000, message = "must be at most 2000 characters") String description,
		@NotNull(message = "must not be null") @Valid PriceRequest price, Boolean active) {

	ProductCreateRequest {
		name = (name != null) ? name.strip() : null;
		description = ProductText.description(description);
		active = (active != null) ? active : Boolean.TRUE;
	}

}
