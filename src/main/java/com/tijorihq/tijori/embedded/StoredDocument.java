package com.tijorihq.tijori.embedded;

import java.nio.ByteBuffer;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;
import org.h2.mvstore.type.ObjectDataType;

/**
 * A stored document together with its BSON, encoded when it was stored: what the embedded store writes to its file.
 * <p>
 * H2's default type JDK-serialises documents when a commit writes their page (every document of a page, whichever
 * one changed), which a checkout profile showed as the biggest single cost of the embedded store. Encoding once,
 * when the document is stored (under the collection's lock), makes a commit a copy of bytes, and what it writes
 * never depends on what other threads do to the document meanwhile.
 * @param document what queries read; never changed once stored ({@link IndexedH2Collection} updates copies)
 * @param bson the document as it was when stored; never modified
 */
record StoredDocument(Document document, byte[] bson) {

	static StoredDocument of(Document document) {
		ByteBuf buffer = Unpooled.buffer(256);
		try {
			BsonEncoder.encodeDocument(document, buffer);
			return new StoredDocument(document, ByteBufUtil.getBytes(buffer));
		}
		finally {
			buffer.release();
		}
	}

	/** The H2 type of stored documents. Values written by the default type (earlier versions) still read. */
	static BasicDataType<StoredDocument> type() {
		return new Type();
	}

	private static final class Type extends BasicDataType<StoredDocument> {

		/** Not one of {@link ObjectDataType}'s tags (0–119), nor of {@link StoredKeys}'. */
		private static final byte BSON = (byte) 0xB5;

		private final ObjectDataType legacy = new ObjectDataType();

		@Override
		public int getMemory(StoredDocument stored) {
			// the bytes, plus the decoded document (roughly three times the size of its BSON)
			return 64 + 4 * stored.bson().length;
		}

		@Override
		public void write(WriteBuffer buffer, StoredDocument stored) {
			buffer.put(BSON).putVarInt(stored.bson().length).put(stored.bson());
		}

		@Override
		public StoredDocument read(ByteBuffer buffer) {
			if (buffer.get(buffer.position()) != BSON) {
				return StoredDocument.of((Document) this.legacy.read(buffer));
			}
			buffer.get();
			byte[] bson = new byte[DataUtils.readVarInt(buffer)];
			buffer.get(bson);
			return new StoredDocument(BsonDecoder.decodeBson(Unpooled.wrappedBuffer(bson)), bson);
		}

		@Override
		public StoredDocument[] createStorage(int size) {
			return new StoredDocument[size];
		}

	}

}
