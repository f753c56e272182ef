package com.tijorihq.tijori.ops;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every setting the code reads can be set and is documented: each {@code tijori.*} property (as Boot's configuration
 * processor lists them in {@code spring-configuration-metadata.json}) is set in {@code application.yml}, each
 * variable that file reads is in {@code .env.example} and the README, and {@code .env.example} names no variable
 * the app ignores. A variable only reaches the app from a {@code .env} file through a {@code ${VAR}} placeholder:
 * spring-dotenv does not do Boot's relaxed binding, so an unbound name would work as a real environment variable and
 * silently do nothing in {@code .env}.
 */
class ConfigurationReferenceTests {

	/** Variables Spring Boot reads itself, without a placeholder. */
	private static final Set<String> SPRING_VARIABLES = Set.of("SPRING_PROFILES_ACTIVE");

	private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");

	@Test
	void everyTijoriPropertyIsSetInApplicationYml() throws IOException {
		Map<String, String> configured = applicationYml();
		JsonNode metadata;
		try (InputStream in = new ClassPathResource("META-INF/spring-configuration-metadata.json").getInputStream()) {
			metadata = new ObjectMapper().readTree(in);
		}
		Set<String> properties = new LinkedHashSet<>();
		metadata.path("properties").forEach(property -> properties.add(property.path("name").asText()));
		assertThat(properties).as("the configuration processor ran").contains("tijori.razorpay.key-id",
				"tijori.reconcile.interval");
		for (String property : properties) {
			if (property.startsWith("tijori.")) {
				// a nested record (a gateway's breaker) counts when each of its fields is set under it
				assertThat(configured.keySet()).as("%s set in application.yml (with a ${VARIABLE} an operator can set)",
						property)
					.anyMatch(key -> key.equals(property) || key.startsWith(property + "."));
			}
		}
	}

	@Test
	void everyVariableIsDocumentedAndEveryDocumentedVariableIsRead() throws IOException {
		Set<String> read = new LinkedHashSet<>();
		for (String value : applicationYml().values()) {
			Matcher matcher = PLACEHOLDER.matcher(value);
			while (matcher.find()) {
				read.add(matcher.group(1));
			}
		}
		read.addAll(SPRING_VARIABLES);
		Set<String> documented = new LinkedHashSet<>();
		Matcher matcher = Pattern.compile("(?m)^([A-Z][A-Z0-9_]*)=").matcher(Files.readString(Path.of(".env.example")));
		while (matcher.find()) {
			documented.add(matcher.group(1));
		}
		String readme = Files.readString(Path.of("README.md"));
		for (String variable : read) {
			assertThat(documented).as("%s in .env.example", variable).contains(variable);
			assertThat(readme).as("%s in README.md", variable).contains("`" + variable + "`");
		}
		assertThat(read).as(".env.example documents only variables the app reads").containsAll(documented);
	}

	/** Every key of every document of application.yml, flattened ({@code tijori.razorpay.key-id}), to its text. */
	private static Map<String, String> applicationYml() throws IOException {
		Map<String, String> flat = new LinkedHashMap<>();
		ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
		try (MappingIterator<JsonNode> documents = yaml.readerFor(JsonNode.class)
			.readValues(Path.of("src/main/resources/application.yml").toFile())) {
			while (documents.hasNext()) {
				flatten("", documents.next(), flat);
			}
		}
		return flat;
	}

	private static void flatten(String prefix, JsonNode node, Map<String, String> into) {
		if (node.isObject()) {
			for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
				Map.Entry<String, JsonNode> field = fields.next();
				flatten(prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), field.getValue(), into);
			}
		}
		else {
			into.put(prefix, node.isValueNode() ? node.asText() : node.toString());
		}
	}

}
