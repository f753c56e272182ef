package com.tijorihq.tijori.accounts;

import java.util.Locale;

import reactor.core.publisher.Mono;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoOperations;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Repository;

import com.tijorihq.tijori.common.MongoIndexes;

@Repository
class UserRepository {

	private final ReactiveMongoOperations mongo;

	private final Mono<Void> indexes;

	UserRepository(ReactiveMongoOperations mongo) {
		this.mongo = mongo;
		this.indexes = MongoIndexes.ensure(mongo, UserDocument.COLLECTION,
				new Index("emailKey", Sort.Direction.ASC).unique().named("uniq_email"),
				new Index("publicId", Sort.Direction.ASC).unique().named("uniq_public_id"));
	}

	static String emailKey(String email) {
		return email.trim().toLowerCase(Locale.ROOT);
	}

	/** Fails with {@code DuplicateKeyException} when the email is taken in any letter case. */
	Mono<UserDocument> insert(UserDocument user) {
		return this.indexes.then(this.mongo.insert(user));
	}

	Mono<UserDocument> findByEmail(String email) {
		return this.indexes.then(this.mongo
			.findOne(Query.query(Criteria.where("emailKey").is(emailKey(email))), UserDocument.class));
	}

}
