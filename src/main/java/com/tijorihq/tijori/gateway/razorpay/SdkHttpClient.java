package com.tijorihq.tijori.gateway.razorpay;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.concurrent.TimeUnit;

import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts Tijori's own {@link OkHttpClient} into razorpay-java.
 * <p>
 * razorpay-java 1.4.8 builds every URL from compile-time constants ({@code https://api.razorpay.com}) and sends it
 * through {@code private static OkHttpClient client} in the package-private {@code com.razorpay.ApiUtils}, which
 * it fills with a 60-second-timeout default only while the field is null. Setting that field once, before the
 * first {@code RazorpayClient} is built, is the only way in: no setter, no property. The SDK's own tests do the
 * same. {@code ApiUtilsClientFieldTests} fails loudly if a future SDK renames, retypes or finalises the field.
 * <p>
 * The field is one per JVM while adapters (and test contexts) may be several, so nothing adapter-specific lives
 * in the client: each call carries its target, headers and timeouts in an {@link SdkCall} that the interceptor
 * below reads on the calling thread.
 */
final class SdkHttpClient {

	private static final Logger log = LoggerFactory.getLogger(SdkHttpClient.class);

	static final String API_UTILS = "com.razorpay.ApiUtils";

	static final String CLIENT_FIELD = "client";

	private static OkHttpClient installed;

	private SdkHttpClient() {
	}

	/**
	 * Installs the shared client unless it already is (idempotent per JVM). Must run before any
	 * {@code RazorpayClient} is constructed, or the SDK builds its own.
	 */
	static synchronized OkHttpClient install(RazorpayProperties properties) {
		if (installed != null && installed == read()) {
			return installed;
		}
		OkHttpClient client = new OkHttpClient.Builder()
			.connectTimeout(properties.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
			.readTimeout(properties.httpTimeout().toMillis(), TimeUnit.MILLISECONDS)
			.writeTimeout(properties.httpTimeout().toMillis(), TimeUnit.MILLISECONDS)
			// one idle connection per gateway thread; each thread makes one call at a time
			.connectionPool(new ConnectionPool(properties.threads(), 5, TimeUnit.MINUTES))
			.retryOnConnectionFailure(false)
			.followRedirects(false)
			.addInterceptor(new RoutingInterceptor())
			.build();
		write(client);
		installed = client;
		log.debug("Installed Tijori's OkHttpClient into razorpay-java");
		return client;
	}

	/**
	 * Closes idle keep-alive connections. Called before the web server's graceful shutdown: in sandbox mode they
	 * point at this very server, which would otherwise wait for them to close.
	 */
	static synchronized void evictIdleConnections() {
		if (installed != null) {
			installed.connectionPool().evictAll();
		}
	}

	static Field clientField() {
		try {
			Field field = Class.forName(API_UTILS).getDeclaredField(CLIENT_FIELD);
			int modifiers = field.getModifiers();
			if (field.getType() != OkHttpClient.class || !Modifier.isStatic(modifiers)
					|| Modifier.isFinal(modifiers)) {
				throw new IllegalStateException(incompatible("has changed shape: " + field));
			}
			field.setAccessible(true);
			return field;
		}
		catch (ClassNotFoundException | NoSuchFieldException ex) {
			throw new IllegalStateException(incompatible("is gone"), ex);
		}
	}

	static OkHttpClient read() {
		try {
			return (OkHttpClient) clientField().get(null);
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException(incompatible("cannot be read"), ex);
		}
	}

	private static void write(OkHttpClient client) {
		try {
			clientField().set(null, client);
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException(incompatible("cannot be written"), ex);
		}
	}

	private static String incompatible(String what) {
		return "razorpay-java's " + API_UTILS + "." + CLIENT_FIELD + " " + what
				+ ". Tijori can no longer install its HTTP client (timeouts, sandbox routing); check the SDK version.";
	}

	/**
	 * Sends the SDK's request to the call's target: scheme, host and port replaced, the target's path put in
	 * front of the SDK's {@code /v1/...}. The response carries the original request again, because the SDK reads
	 * the entity type from the URL's path.
	 */
	static final class RoutingInterceptor implements Interceptor {

		@Override
		public Response intercept(Chain chain) throws IOException {
			SdkCall call = SdkCall.current();
			Request original = chain.request();
			if (call == null) {
				// not one of ours (someone else's RazorpayClient in this JVM): leave it as the SDK made it
				return chain.proceed(original);
			}
			call.attach(chain.call());
			HttpUrl target = call.target();
			HttpUrl.Builder url = original.url().newBuilder().scheme(target.scheme()).host(target.host())
				.port(target.port());
			url.encodedPath(joinPaths(target.encodedPath(), original.url().encodedPath()));
			Request.Builder routed = original.newBuilder().url(url.build());
			call.headers().forEach(routed::header);
			int timeout = (int) call.httpTimeout().toMillis();
			Response response;
			try {
				response = chain.withConnectTimeout((int) call.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
					.withReadTimeout(timeout, TimeUnit.MILLISECONDS)
					.withWriteTimeout(timeout, TimeUnit.MILLISECONDS)
					.proceed(routed.build());
			}
			catch (IOException ex) {
				// the SDK keeps only the message; the type tells a timeout from a refused connection
				call.failure(ex);
				throw ex;
			}
			call.status(response.code());
			return response.newBuilder().request(original).build();
		}

		static String joinPaths(String base, String path) {
			String prefix = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
			return prefix + path;
		}

	}

}
