package com.tijorihq.tijori.events;

/** A stream fell more than its buffer behind; it is closed and its client reconnects with Last-Event-ID. */
final class SlowSubscriberException extends RuntimeException {

	SlowSubscriberException() {
		super("subscriber too slow, stream closed", null, false, false);
	}

}
