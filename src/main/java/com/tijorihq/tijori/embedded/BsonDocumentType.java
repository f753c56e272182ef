package com.tijorihq.tijori.embedded;

import java.nio.ByteBuffer;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;
import org.h2.mvstore.type.ObjectDataType;

/**
 * How the embedded store writes documents: as BSON (with mongo-java-server's own codec, the one its wire protocol
 * uses), not through H2's default type, which falls back to JDK serialisation for a document. A profile of
 * checkouts showed about a tenth of the process's CPU in {@code ObjectOutputStream}/{@code ObjectInputStream}.
 * Values written by the default type (data files from earlier versions) still read: a BSON value starts with a
 * tag byte the default type never writes, and anything else is handed to it.
 */
final class BsonDocumentType extends BasicDataType<Object> {

	/** Not one of {@link ObjectDataType}'s tags (0–119). */
	private static final byte BSON = (byte) 0xB5;

	private final ObjectDataType legacy = new ObjectDataType();

	@Override
	public int getMemory(Object value) {
		if (value instanceof Document document) {
			// an estimate for the page cache, as the default type's for serialised objects
			return 64 + 48 * document.size();
		}
		return this.legacy.getMemory(value);
	}

	@Override
	public void write(WriteBuffer buffer, Object value) {
		if (!(value instanceof Document document)) {
			this.legacy.write(buffer, value);
			return;
		}
		ByteBuf bson = Unpooled.buffer(256);
		try {
			BsonEncoder.encodeDocument(document, bson);
			int length = bson.readableBytes();
			buffer.put(BSON).putVarInt(length);
			if (bson.hasArray()) {
				buffer.put(bson.array(), bson.arrayOffset() + bson.readerIndex(), length);
			}
			else {
				byte[] bytes = new byte[length];
				bson.readBytes(bytes);
				buffer.put(bytes);
			}
		}
		finally {
			bson.release();
		}
	}

	@Override
	public Object read(ByteBuffer buffer) {
		if (buffer.get(buffer.position()) != BSON) {
			return this.legacy.read(buffer);
		}
		buffer.get();
		int length = DataUtils.readVarInt(buffer);
		ByteBuffer slice = buffer.slice();
		slice.limit(length);
		buffer.position(buffer.position() + length);
		return BsonDecoder.decodeBson(Unpooled.wrappedBuffer(slice));
	}

	@Override
	public int compare(Object a, Object b) {
		return this.legacy.compare(a, b);
	}

	@Override
	public Object[] createStorage(int size) {
		return new Object[size];
	}

}
