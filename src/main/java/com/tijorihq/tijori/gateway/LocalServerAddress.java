package com.tijorihq.tijori.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;


import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

/**
 * This app's own base URL, known only once the web server has bound its port (a random one in tests), which is
 * after the gateway bean exists: hence resolved lazily.
 */
public class LocalServerAddress implements ApplicationListener<WebServerInitializedEvent> {

	private final Environment environment;

	private final List<Consumer<String>> listeners = new ArrayList<>();

	private volatile String base;

	public LocalServerAddress(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void onApplicationEvent(WebServerInitializedEvent event) {
		if (event.getApplicationContext().getServerNamespace() != null) {
			return; // a separate management server, not the one serving /sandbox
		}
		String address = this.environment.getProperty("server.address", "");
		String host = (address.isBlank() || address.equals("0.0.0.0") || address.equals("::")) ? "127.0.0.1"
				: address;
		boolean tls = this.environment.getProperty("server.ssl.enabled", Boolean.class, false);
		this.base = (tls ? "https://" : "http://") + host + ":" + event.getWebServer().getPort();
		List<Consumer<String>> pending;
		synchronized (this.listeners) {
			pending = List.copyOf(this.listeners);
			this.listeners.clear();
		}
		pending.forEach(listener -> listener.accept(this.base));
	}

	public void onStarted(Consumer<String> listener) {
		synchronized (this.listeners) {
			if (this.base == null) {
				this.listeners.add(listener);
				return;
			}
		}
		listener.accept(this.base);
	}

	/** {@code base + path}; fails while the server has not started yet. */
	public String url(String path) {
		String current = this.base;
		if (current == null) {
			throw new IllegalStateException("The web server has not started yet");
		}
		return current + path;
	}

}
