package com.tijorihq.tijori.catalog;

import java.util.Set;

/** A decoded PATCH body and the names of the top-level fields the client sent, JSON {@code null} included. */
record PatchBody<T>(T value, Set<String> sent) {

	PatchBody {
		sent = Set.copyOf(sent);
	}

	boolean has(String field) {
		return this.sent.contains(field);
	}

}
