package com.tijorihq.tijori.common;

import java.util.List;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.web.embedded.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.server.adapter.ForwardedHeaderTransformer;

/**
 * With {@code TIJORI_FORWARD_HEADERS} on ({@code native} or {@code framework}), the server believes
 * {@code X-Forwarded-For} and {@code X-Forwarded-Proto} only as far as {@link TrustedProxies} allows. Reactor
 * Netty's own handler and Spring's transformer would both take the leftmost {@code X-Forwarded-For} entry, which
 * the client writes, so a login throttle keyed by client IP could be dodged with a made-up header.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${server.forward-headers-strategy:none}'.toLowerCase() != 'none'")
class ForwardedHeadersConfiguration {

	/**
	 * @param trustedProxies addresses or CIDR ranges of the proxies in front of Tijori (ingress controller, load
	 *        balancer); by default loopback and the private networks
	 */
	@ConfigurationProperties("tijori.forwarded")
	record ForwardedProperties(@DefaultValue({ "127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12",
			"192.168.0.0/16", "fc00::/7" }) List<String> trustedProxies) {
	}

	@Bean
	NettyServerCustomizer trustedForwardedHeaders(ForwardedProperties properties) {
		TrustedProxies proxies = new TrustedProxies(properties.trustedProxies());
		return server -> server.forwarded(proxies::apply);
	}

	/**
	 * In {@code framework} mode Boot adds a transformer that would apply the headers again, leftmost entry first;
	 * this one only strips them (Netty has applied them by then).
	 */
	@Bean
	ForwardedHeaderTransformer forwardedHeaderTransformer() {
		ForwardedHeaderTransformer transformer = new ForwardedHeaderTransformer();
		transformer.setRemoveOnly(true);
		return transformer;
	}

}
