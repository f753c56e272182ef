package com.tijorihq.tijori.catalog;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code PATCH /api/products/{id}}: a partial update where an absent field stays unchanged. Which fields
 * were sent at all (JSON {@code null} included) travels beside it in a {@link PatchBody}: Jackson gives an absent
 * record component and an explicit {@code null} the same value. {@code price} is replaced as a whole.
 */
record ProductUpdateRequest(@Size(min = 1, max = 200, message = "must be 1 to 200 characters") String name,
		@Size(max = 2000, message = "must be at most 2000 characters") String description, @Valid PriceRequest price,
		Boolean active) {

	/** Fields that, when sent, must not be {@code null}; a {@code null} description removes it. */
	static final String[] REQUIRED = { "name", "price", "active" };

	ProductUpdateRequest {
		name = (name != null) ? name.strip() : null;
		description = ProductText.description(description);
	}

}
