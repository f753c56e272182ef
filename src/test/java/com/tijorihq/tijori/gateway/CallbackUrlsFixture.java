package com.tijorihq.tijori.gateway;

/** {@link CallbackUrls} for adapter unit tests (its constructor is the gateway package's own). */
public final class CallbackUrlsFixture {

	public CallbackUrls absolute(String base) {
		return new CallbackUrls(base);
	}

}
