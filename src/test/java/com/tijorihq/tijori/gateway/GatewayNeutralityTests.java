package com.tijorihq.tijori.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The core never branches on a gateway: outside {@code gateway} no class uses an adapter or a sandbox, and no
 * source names a gateway in a string literal. Whatever differs between gateways is the adapter's to translate, or
 * a {@link GatewayCapabilities} flag.
 */
class GatewayNeutralityTests {

	private static final Path MAIN = Path.of("src/main/java");

	private static final Path GATEWAY = MAIN.resolve("com/tijorihq/tijori/gateway");

	private static final Pattern GATEWAY_LITERAL = Pattern.compile("\"(razorpay|paytm|payu)\"",
			Pattern.CASE_INSENSITIVE);

	@Test
	void noClassOutsideTheGatewayPackageDependsOnAnAdapterOrASandbox() {
		JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages("com.tijorihq.tijori");
		ArchRule rule = noClasses().that()
			.resideOutsideOfPackage("com.tijorihq.tijori.gateway..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("com.tijorihq.tijori.gateway.razorpay..", "com.tijorihq.tijori.gateway.paytm..",
					"com.tijorihq.tijori.gateway.payu..", "com.tijorihq.tijori.gateway.sandbox..")
			.because("the core speaks to gateways through the PaymentGateway port only");
		rule.check(classes);
	}

	@Test
	void noSourceOutsideTheGatewayPackageNamesAGateway() throws IOException {
		assertThat(GATEWAY).isDirectory();
		List<String> offences = new ArrayList<>();
		try (Stream<Path> sources = Files.walk(MAIN)) {
			for (Path source : sources.filter(path -> path.toString().endsWith(".java"))
				.filter(path -> !path.startsWith(GATEWAY))
				.toList()) {
				List<String> lines = Files.readAllLines(source);
				for (int i = 0; i < lines.size(); i++) {
					Matcher literal = GATEWAY_LITERAL.matcher(lines.get(i));
					if (literal.find()) {
						offences.add(MAIN.relativize(source) + ":" + (i + 1) + " " + literal.group());
					}
				}
			}
		}
		assertThat(offences).as("gateway names in string literals outside the gateway package").isEmpty();
	}

	@Test
	void theScanSeesALiteralWhenThereIsOne() {
		assertThat(GATEWAY_LITERAL.matcher("if (\"RazorPay\".equals(name))").find()).isTrue();
		assertThat(GATEWAY_LITERAL.matcher("fields.put(\"razorpay_order_id\", id)").find()).isFalse();
	}

}
