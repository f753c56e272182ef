package com.tijorihq.tijori.apidocs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import io.swagger.v3.core.util.Yaml;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Paths;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;

/**
 * Serves the maintained contract in {@code openapi/tijori.yaml} through springdoc. Functional routes carry no
 * annotations springdoc could read, and one hand-kept file describes request bodies, problem responses and the
 * CSRF/session rules better than annotations spread over handlers; {@code ApiDocsTests} keeps it honest by failing
 * for any route of the running app that the file does not list. Anything springdoc does discover is kept.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocsConfiguration {

	static final String CONTRACT = "openapi/tijori.yaml";

	@Bean
	OpenApiCustomizer contractOpenApiCustomizer() {
		OpenAPI contract = readContract();
		return openApi -> {
			openApi.info(contract.getInfo()).tags(contract.getTags()).security(contract.getSecurity());
			if (openApi.getPaths() == null) {
				openApi.setPaths(new Paths());
			}
			contract.getPaths().forEach(openApi.getPaths()::addPathItem);
			Components components = (openApi.getComponents() != null) ? openApi.getComponents() : new Components();
			Components mine = contract.getComponents();
			mine.getSchemas().forEach(components::addSchemas);
			mine.getParameters().forEach(components::addParameters);
			mine.getResponses().forEach(components::addResponses);
			mine.getSecuritySchemes().forEach(components::addSecuritySchemes);
			openApi.setComponents(components);
		};
	}

	private static OpenAPI readContract() {
		try (InputStream in = new ClassPathResource(CONTRACT).getInputStream()) {
			return Yaml.mapper().readValue(in, OpenAPI.class);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + CONTRACT, ex);
		}
	}

}
