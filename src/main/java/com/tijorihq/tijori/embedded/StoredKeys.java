package com.tijorihq.tijori.embedded;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.ObjectId;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;
import org.h2.mvstore.type.ObjectDataType;

/**
 * How the embedded store writes and orders keys: the keys of unique indexes ({@link KeyValue}s) and document
 * positions ({@code _id} values, which both the collections' maps and the indexes' entries hold).
 * <p>
 * H2's default type knows neither: it JDK-serialises them, and it orders two {@link KeyValue}s by serialising both
 * and comparing the bytes. Every index lookup compared that way about twenty times; a profile of checkouts showed
 * half of the process's CPU in it. Here the common values (strings, numbers, object ids, dates, booleans, null) have
 * a compact tagged form, anything else falls back to the default type, and index keys are ordered as MongoDB orders
 * values. The tags start above every tag the default type writes, so data written by it still reads.
 */
final class StoredKeys {

	/** Above {@link ObjectDataType}'s own tags (0–119). */
	private static final int NULL = 0xC0;

	private static final int MISSING = 0xC1;

	private static final int STRING = 0xC2;

	private static final int DOUBLE = 0xC3;

	private static final int LONG = 0xC4;

	private static final int INTEGER = 0xC5;

	private static final int FALSE = 0xC6;

	private static final int TRUE = 0xC7;

	private static final int OBJECT_ID = 0xC8;

	private static final int INSTANT = 0xC9;

	/** A string as its UTF-8 bytes: one bulk copy each way ({@link #STRING} is H2's char-by-char form). */
	private static final int UTF8 = 0xCA;

	private StoredKeys() {
	}

	/** The type of a unique index's keys. */
	static BasicDataType<KeyValue> indexKeys() {
		return new IndexKeyType();
	}

	/**
	 * The type of positions: the keys of a collection's map, the values of its indexes. Ordered exactly as the
	 * default type orders them (existing maps keep their order); only written more cheaply.
	 */
	static BasicDataType<Object> positions() {
		return new PositionType();
	}

	private static void writeValue(WriteBuffer buffer, Object value, ObjectDataType fallback) {
		if (value == null) {
			buffer.put((byte) NULL);
		}
		else if (value instanceof Missing) {
			buffer.put((byte) MISSING);
		}
		else if (value instanceof String string) {
			byte[] bytes = string.getBytes(StandardCharsets.UTF_8);
			buffer.put((byte) UTF8).putVarInt(bytes.length).put(bytes);
		}
		else if (value instanceof Double number) {
			buffer.put((byte) DOUBLE).putDouble(number);
		}
		else if (value instanceof Long number) {
			buffer.put((byte) LONG).putLong(number);
		}
		else if (value instanceof Integer number) {
			buffer.put((byte) INTEGER).putInt(number);
		}
		else if (value instanceof Boolean flag) {
			buffer.put((byte) (flag ? TRUE : FALSE));
		}
		else if (value instanceof ObjectId id) {
			buffer.put((byte) OBJECT_ID).put(id.toByteArray());
		}
		else if (value instanceof Instant instant) {
			buffer.put((byte) INSTANT).putLong(instant.getEpochSecond()).putInt(instant.getNano());
		}
		else {
			fallback.write(buffer, value);
		}
	}

	private static Object readValue(ByteBuffer buffer, ObjectDataType fallback) {
		int tag = buffer.get(buffer.position()) & 0xFF;
		if (tag < NULL) {
			return fallback.read(buffer);
		}
		buffer.get();
		return switch (tag) {
			case NULL -> null;
			case MISSING -> Missing.getInstance();
			case STRING -> DataUtils.readString(buffer);
			case UTF8 -> {
				byte[] bytes = new byte[DataUtils.readVarInt(buffer)];
				buffer.get(bytes);
				yield new String(bytes, StandardCharsets.UTF_8);
			}
			case DOUBLE -> buffer.getDouble();
			case LONG -> buffer.getLong();
			case INTEGER -> buffer.getInt();
			case FALSE -> Boolean.FALSE;
			case TRUE -> Boolean.TRUE;
			case OBJECT_ID -> {
				byte[] bytes = new byte[12];
				buffer.get(bytes);
				yield new ObjectId(bytes);
			}
			case INSTANT -> Instant.ofEpochSecond(buffer.getLong(), buffer.getInt());
			default -> throw new IllegalStateException("Unknown stored key tag " + tag);
		};
	}

	private static int memory(Object value) {
		return (value instanceof String string) ? 48 + 2 * string.length() : 32;
	}

	/**
	 * Unique index keys in MongoDB's order of values (what a range over an index walks), element by element. Keys
	 * that order equal without being equal to the library (an integer and a double of the same value) are kept
	 * apart by the default type's order, so no two distinct keys ever share an entry.
	 */
	private static final class IndexKeyType extends BasicDataType<KeyValue> {

		private final ObjectDataType fallback = new ObjectDataType();

		@Override
		public int getMemory(KeyValue key) {
			int memory = 40;
			for (Object value : key) {
				memory += memory(value);
			}
			return memory;
		}

		@Override
		public void write(WriteBuffer buffer, KeyValue key) {
			buffer.putVarInt(key.size());
			for (Object value : key) {
				writeValue(buffer, value, this.fallback);
			}
		}

		@Override
		public KeyValue read(ByteBuffer buffer) {
			int size = DataUtils.readVarInt(buffer);
			List<Object> values = new ArrayList<>(size);
			for (int i = 0; i < size; i++) {
				values.add(readValue(buffer, this.fallback));
			}
			return new KeyValue(values);
		}

		@Override
		public int compare(KeyValue a, KeyValue b) {
			if (a == b) {
				return 0;
			}
			int shared = Math.min(a.size(), b.size());
			for (int i = 0; i < shared; i++) {
				Object x = a.get(i);
				Object y = b.get(i);
				// two strings (most keys here) order as the library orders them, without its search for their types
				int order = (x instanceof String s && y instanceof String t) ? s.compareTo(t)
						: ValueComparator.asc().compare(x, y);
				if (order != 0) {
					return order;
				}
			}
			int order = Integer.compare(a.size(), b.size());
			if (order != 0 || a.equals(b)) {
				return order;
			}
			for (int i = 0; i < shared; i++) {
				if (!Objects.equals(a.get(i), b.get(i))) {
					return this.fallback.compare(a.get(i), b.get(i));
				}
			}
			return 0;
		}

		@Override
		public KeyValue[] createStorage(int size) {
			return new KeyValue[size];
		}

	}

	private static final class PositionType extends BasicDataType<Object> {

		private final ObjectDataType fallback = new ObjectDataType();

		@Override
		public int getMemory(Object position) {
			return memory(position);
		}

		@Override
		public void write(WriteBuffer buffer, Object position) {
			if (position instanceof ObjectId || position instanceof Instant || position instanceof String) {
				writeValue(buffer, position, this.fallback);
			}
			else {
				// the default type already writes numbers compactly
				this.fallback.write(buffer, position);
			}
		}

		@Override
		public Object read(ByteBuffer buffer) {
			return readValue(buffer, this.fallback);
		}

		@Override
		public int compare(Object a, Object b) {
			return this.fallback.compare(a, b);
		}

		@Override
		public Object[] createStorage(int size) {
			return new Object[size];
		}

	}

}
