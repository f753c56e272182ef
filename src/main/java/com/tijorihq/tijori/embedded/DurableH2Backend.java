package com.tijorihq.tijori.embedded;

import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import io.netty.channel.Channel;

/**
 * H2 backend that commits the MVStore before a write is acknowledged. The stock backend commits lazily (about
 * once a second), so a hard stop loses writes the client already saw acknowledged; sessions and payments must not.
 * Costs roughly 45 % more time per serial insert, measured before this class was written.
 */
class DurableH2Backend extends H2Backend {

	DurableH2Backend(String fileName) {
		super(fileName);
	}

	@Override
	public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
		try {
			return super.handleCommand(channel, databaseName, command, query);
		}
		finally {
			commitIfDirty();
		}
	}

	@Override
	public Document handleMessage(MongoMessage message) {
		try {
			return super.handleMessage(message);
		}
		finally {
			commitIfDirty();
		}
	}

	private void commitIfDirty() {
		if (getMvStore().hasUnsavedChanges()) {
			commit();
		}
	}

}
