package com.tijorihq.tijori.gateway.razorpay;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

import com.razorpay.RazorpayClient;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tijori reaches into razorpay-java's {@code ApiUtils.client}. If this fails after an SDK upgrade, the SDK changed
 * how it holds its HTTP client: timeouts and sandbox routing would silently stop working. Fix
 * {@link SdkHttpClient} before upgrading.
 */
class ApiUtilsClientFieldTests {

	@Test
	void apiUtilsStillKeepsItsHttpClientInAPrivateStaticNonFinalField() throws Exception {
		Field field = Class.forName("com.razorpay.ApiUtils").getDeclaredField("client");
		assertThat(field.getType()).as("ApiUtils.client type").isEqualTo(OkHttpClient.class);
		assertThat(Modifier.isStatic(field.getModifiers())).as("ApiUtils.client is static").isTrue();
		assertThat(Modifier.isFinal(field.getModifiers())).as("ApiUtils.client is not final").isFalse();
		assertThat(SdkHttpClient.clientField()).isEqualTo(field);
	}

	@Test
	void theSdkKeepsTheInstalledClientWhenAClientIsBuilt() throws Exception {
		OkHttpClient ours = SdkHttpClient.install(RazorpayPropertiesFixtures.properties(2, 2));
		new RazorpayClient("rzp_test_x", "secret");
		assertThat(SdkHttpClient.read()).as("the SDK replaced Tijori's OkHttpClient").isSameAs(ours);
		assertThat(ours.interceptors()).hasAtLeastOneElementOfType(SdkHttpClient.RoutingInterceptor.class);
	}

	/**
	 * The SDK asks for OkHttp 3.10, which probed a pooled connection before every POST with a 1 ms read that timed
	 * out (a filled stack trace, and a millisecond of a gateway thread, per order); the pom pins OkHttp 4, which
	 * probes only connections idle for 10 s. A dependency change that brings 3.x back fails here.
	 */
	@Test
	void theSdkRunsOnOkHttp4() {
		assertThat(okhttp3.OkHttp.VERSION).startsWith("4.");
	}

	@Test
	void routingKeepsTheSdkPathAfterTheTargetPath() {
		assertThat(SdkHttpClient.RoutingInterceptor.joinPaths("/sandbox/razorpay", "/v1/orders"))
			.isEqualTo("/sandbox/razorpay/v1/orders");
		assertThat(SdkHttpClient.RoutingInterceptor.joinPaths("/", "/v1/orders")).isEqualTo("/v1/orders");
	}

}
