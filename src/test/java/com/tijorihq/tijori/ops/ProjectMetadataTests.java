package com.tijorihq.tijori.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the repository says about itself agrees: the licence of LICENSE, pom.xml and the OpenAPI document, the
 * OpenAPI description of the gateways, links between the docs, and the dependency versions left to the BOMs.
 */
class ProjectMetadataTests {

	private static final Path CONTRACT = Path.of("src/main/resources/openapi/tijori.yaml");

	@Test
	void licenseFilePomAndOpenApiNameTheSameLicence() throws Exception {
		String license = Files.readString(Path.of("LICENSE"));
		assertThat(license).contains("Apache License", "Version 2.0, January 2004",
				"TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION");
		JsonNode info = new ObjectMapper(new YAMLFactory()).readTree(CONTRACT.toFile()).path("info");
		assertThat(info.at("/license/name").asText()).isEqualTo("Apache-2.0");
		Element pomLicense = (Element) pom().getElementsByTagName("license").item(0);
		assertThat(pomLicense.getElementsByTagName("name").item(0).getTextContent()).isEqualTo("Apache-2.0");
		assertThat(pomLicense.getElementsByTagName("url").item(0).getTextContent())
			.isEqualTo(info.at("/license/url").asText());
	}

	@Test
	void openApiInfoDescribesEveryGateway() throws IOException {
		JsonNode contract = new ObjectMapper(new YAMLFactory()).readTree(CONTRACT.toFile());
		assertThat(contract.at("/info/description").asText()).contains("Razorpay", "Paytm", "PayU", "sandbox");
	}

	@Test
	void everyRelativeLinkInTheDocsLeadsToAFile() throws IOException {
		List<Path> docs = new ArrayList<>(List.of(Path.of("README.md"), Path.of("k8s/README.md")));
		try (var files = Files.list(Path.of("docs"))) {
			files.filter(file -> file.toString().endsWith(".md")).forEach(docs::add);
		}
		Pattern link = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)");
		for (Path doc : docs) {
			String text = Files.readString(doc);
			assertThat(text).as(doc + " names no API document that does not exist").doesNotContain("API.md");
			Matcher matcher = link.matcher(text);
			while (matcher.find()) {
				String target = matcher.group(1);
				if (!target.contains("://") && !target.startsWith("mailto:")) {
					assertThat(doc.toAbsolutePath().getParent().resolve(target)).as("%s links %s", doc, target)
						.exists();
				}
			}
		}
	}

	@Test
	void versionsComeFromTheBomsAndEachArtifactIsDeclaredOnce() throws Exception {
		Document pom = pom();
		List<Element> dependencies = dependenciesOf(pom, "dependencies");
		for (Element dependency : dependencies) {
			String artifact = child(dependency, "artifactId");
			if (artifact.startsWith("resilience4j-") || artifact.startsWith("spring-session-")) {
				assertThat(child(dependency, "version")).as("%s: its BOM's version", artifact).isEmpty();
			}
		}
		assertThat(dependencies).extracting(dependency -> child(dependency, "artifactId"))
			.doesNotHaveDuplicates()
			// the UI starter brings the API starter; declaring both is one more version to keep in step
			.contains("springdoc-openapi-starter-webflux-ui", "spring-boot-configuration-processor")
			.doesNotContain("springdoc-openapi-starter-webflux-api");
		List<Element> imported = dependenciesOf(pom, "dependencyManagement");
		assertThat(imported).anySatisfy(bom -> {
			assertThat(child(bom, "artifactId")).isEqualTo("resilience4j-bom");
			assertThat(child(bom, "scope")).isEqualTo("import");
		});
	}

	private static Document pom() throws Exception {
		return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
	}

	/** The {@code <dependency>} elements under the project's direct child {@code section}. */
	private static List<Element> dependenciesOf(Document pom, String section) {
		List<Element> found = new ArrayList<>();
		for (var node = pom.getDocumentElement().getFirstChild(); node != null; node = node.getNextSibling()) {
			if (node instanceof Element element && element.getTagName().equals(section)) {
				var dependencies = element.getElementsByTagName("dependency");
				for (int i = 0; i < dependencies.getLength(); i++) {
					found.add((Element) dependencies.item(i));
				}
			}
		}
		return found;
	}

	private static String child(Element parent, String name) {
		for (var node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
			if (node instanceof Element element && element.getTagName().equals(name)) {
				return element.getTextContent().trim();
			}
		}
		return "";
	}

}
