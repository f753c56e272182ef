package com.tijorihq.tijori.support;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * Counts the MongoDB commands the application's driver sends, for request budgets. Background work of the app
 * (the order-event tail's polling, the outbox relay, leases), the in-process gateway sandboxes and the driver's own
 * handshakes are left out, so a count is what the request itself cost.
 */
public final class MongoCommandCounter implements CommandListener {

	private static final Set<String> DRIVER = Set.of("hello", "isMaster", "ismaster", "ping", "buildInfo",
			"endSessions", "saslStart", "saslContinue", "killCursors");

	private final List<String> commands = new CopyOnWriteArrayList<>();

	@Override
	public void commandStarted(CommandStartedEvent event) {
		if (DRIVER.contains(event.getCommandName()) || background(event.getCommandName(), event.getCommand())) {
			return;
		}
		this.commands.add(event.getCommandName() + " " + collection(event.getCommandName(), event.getCommand()));
	}

	/** The commands {@code action} caused, as "name collection". */
	public List<String> during(Supplier<?> action) {
		this.commands.clear();
		action.get();
		return List.copyOf(this.commands);
	}

	private static boolean background(String name, BsonDocument command) {
		String collection = collection(name, command);
		if ("order_events".equals(collection) && ("find".equals(name) || "getMore".equals(name))) {
			return true; // the instance's event tail
		}
		if ("leases".equals(collection) || collection.startsWith("sandbox_")) {
			return true; // the reconciler's lease; the in-process gateway sandboxes are not Tijori's cost
		}
		BsonValue filter = command.get("filter");
		return "orders".equals(collection) && filter != null && filter.isDocument()
				&& filter.asDocument().containsKey("eventsPending"); // the outbox relay
	}

	private static String collection(String name, BsonDocument command) {
		BsonValue value = command.get(name);
		return (value != null && value.isString()) ? value.asString().getValue() : "";
	}

}
