package com.tijorihq.tijori.accounts;

import java.time.Instant;
import java.util.List;

import org.bson.types.ObjectId;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/** A stored account. {@code emailKey} is the lower-cased email and carries the unique index. */
@Document(UserDocument.COLLECTION)
record UserDocument(@Id ObjectId id, String publicId, String email, String emailKey, String name,
		String passwordHash, List<String> roles, Instant createdAt) {

	static final String COLLECTION = "users";

	TijoriUser toUser() {
		return new TijoriUser(this.publicId, this.email, this.name, this.roles);
	}

}
