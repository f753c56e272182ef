package com.tijorihq.tijori.catalog;

/** How product texts are normalised before validation, the same way for create and update. */
final class ProductText {

	private ProductText() {
	}

	/** Surrounding white space never counts; a blank description is stored as none. */
	static String description(String description) {
		if (description == null) {
			return null;
		}
		String stripped = description.strip();
		return stripped.isEmpty() ? null : stripped;
	}

}
