package com.tijorihq.tijori.accounts;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import com.mongodb.BasicDBObject;
import com.mongodb.DBObject;
import org.bson.Document;

import org.springframework.data.mongodb.core.query.Query;
import org.springframework.session.data.mongo.AbstractMongoSessionConverter;
import org.springframework.session.data.mongo.MongoSession;

/**
 * Stores a session as plain BSON, so reading one is a document decode and nothing else: {@code _id},
 * {@code accessed}, {@code interval} (seconds), {@code expireAt} and {@code attrs}, a sub-document of the
 * attributes. Attribute values must be strings, numbers, booleans, dates or lists of them; anything else is refused
 * when the session is saved rather than JDK-serialised.
 * <p>
 * Documents of the library's default (JDK-serialising) format, which Tijori wrote before, have no {@code attrs};
 * they read as expired sessions, which the repository then deletes: their users are logged out once, and no
 * stored bytes are ever deserialised into objects. The library's public API cannot restore a session's creation
 * time, so it is not stored; nothing in Tijori reads it.
 */
final class PlainSessionConverter extends AbstractMongoSessionConverter {

	static final String ATTRIBUTES = "attrs";

	private static final String ID = "_id";

	private static final String ACCESSED = "accessed";

	private static final String INTERVAL = "interval";

	private static final String EXPIRE_AT = "expireAt";

	/** As the library's own converters: MongoDB field names may not contain dots. */
	private static final char DOT_COVER = '\uF607';

	@Override
	protected Query getQueryForIndex(String indexName, Object indexValue) {
		// only the servlet repository looks sessions up by index; the reactive one never asks
		return null;
	}

	@Override
	protected DBObject convert(MongoSession session) {
		BasicDBObject attributes = new BasicDBObject();
		for (String name : session.getAttributeNames()) {
			Object value = session.getAttribute(name);
			if (!isPlain(value)) {
				throw new IllegalArgumentException("Session attribute '" + name + "' holds a "
						+ value.getClass().getName() + "; sessions keep plain values only");
			}
			attributes.put(name.replace('.', DOT_COVER), value);
		}
		Instant accessed = session.getLastAccessedTime();
		Duration interval = session.getMaxInactiveInterval();
		BasicDBObject document = new BasicDBObject(ID, session.getId()).append(ACCESSED, Date.from(accessed))
			.append(INTERVAL, interval.toSeconds())
			.append(ATTRIBUTES, attributes);
		if (!interval.isNegative()) {
			document.append(EXPIRE_AT, Date.from(accessed.plus(interval)));
		}
		return document;
	}

	@Override
	protected MongoSession convert(Document document) {
		Object attributes = document.get(ATTRIBUTES);
		Object accessed = document.get(ACCESSED);
		Object interval = document.get(INTERVAL);
		if (!(attributes instanceof Document stored && accessed instanceof Date accessedAt
				&& interval instanceof Number seconds)) {
			MongoSession expired = new MongoSession(document.get(ID).toString(), 0);
			expired.setLastAccessedTime(Instant.EPOCH);
			return expired;
		}
		MongoSession session = new MongoSession(document.getString(ID), seconds.longValue());
		session.setLastAccessedTime(accessedAt.toInstant());
		stored.forEach((name, value) -> session.setAttribute(name.replace(DOT_COVER, '.'), value));
		return session;
	}

	private static boolean isPlain(Object value) {
		if (value instanceof List<?> list) {
			return list.stream().allMatch(PlainSessionConverter::isPlain);
		}
		return value instanceof String || value instanceof Boolean || value instanceof Integer
				|| value instanceof Long || value instanceof Double || value instanceof Date;
	}

}
