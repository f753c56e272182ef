package com.tijorihq.tijori.gateway;

/**
 * URLs of Tijori's own callbacks as the buyer's browser must reach them. With {@code TIJORI_PUBLIC_URL} they are
 * absolute (what a live gateway needs); without it they are paths, which only a sandbox served from this same
 * origin can use: the browser then comes back to the host it is logged in on (localhost and 127.0.0.1 have
 * different cookies).
 */
public final class CallbackUrls {

	private final String base;

	CallbackUrls(String base) {
		this.base = base;
	}

	/** Where a gateway posts the buyer back to after checkout: {@code /api/payments/{gateway}/callback}. */
	public String callback(String gateway) {
		return this.base + "/api/payments/" + gateway + "/callback";
	}

	/** Whether the URLs are absolute (a live gateway needs that: it sends the browser from its own site). */
	public boolean absolute() {
		return !this.base.isEmpty();
	}

}
