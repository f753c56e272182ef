package com.tijorihq.tijori.common;

import java.time.Instant;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

/**
 * When a document is next due for background work, as a string that sorts by time and is unique per document:
 * {@code <epoch millis, 13 digits>:<id>}. Kept in a field under a sparse unique index and present only while the
 * work is outstanding, it makes "what is due now" a range read of that index: proportional to the work
 * outstanding, never to the size of the collection (the embedded server serves such ranges from the index too,
 * see {@code embedded.IndexedH2Collection}). The value also serves as a claim: a conditional write on the value
 * read changes only what was read.
 */
public final class DueKey {

	private DueKey() {
	}

	public static String at(Instant when, String id) {
		return millis(when.toEpochMilli()) + ":" + id;
	}

	/** The exclusive upper bound of the keys due at {@code now}. */
	public static String dueBy(Instant now) {
		return millis(now.toEpochMilli() + 1);
	}

	/** Thirteen digits, zero-padded, so keys sort by time as strings (String.format showed in checkout profiles). */
	private static String millis(long millis) {
		String digits = Long.toString(Math.max(0, millis));
		return (digits.length() >= 13) ? digits : "0".repeat(13 - digits.length()) + digits;
	}

	/** The documents whose {@code field} is due at {@code now}, earliest first, at most {@code limit}. */
	public static Query due(String field, Instant now, int limit) {
		return Query.query(Criteria.where(field).lt(dueBy(now))).with(Sort.by(field)).limit(limit);
	}

}
