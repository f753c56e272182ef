package com.tijorihq.tijori;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import org.springframework.stereotype.Controller;
import org.springframework.stereotype.Repository;
import org.springframework.web.bind.annotation.RestController;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The house style's boundaries: package by feature, functional routes only, shared code depends on no feature. */
@AnalyzeClasses(packages = "com.tijorihq.tijori", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

	@ArchTest
	static final ArchRule commonDependsOnNoFeature = noClasses().that()
		.resideInAPackage("com.tijorihq.tijori.common..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("com.tijorihq.tijori.accounts..", "com.tijorihq.tijori.catalog..",
				"com.tijorihq.tijori.checkout..", "com.tijorihq.tijori.gateway..", "com.tijorihq.tijori.events..",
				"com.tijorihq.tijori.webhooks..", "com.tijorihq.tijori.embedded..");

	@ArchTest
	static final ArchRule noAnnotatedControllers = noClasses().should()
		.beAnnotatedWith(Controller.class)
		.orShould()
		.beAnnotatedWith(RestController.class)
		.because("routes are functional RouterFunction beans");

	@ArchTest
	static final ArchRule repositoriesStayInTheirFeature = classes().that()
		.areAnnotatedWith(Repository.class)
		.should()
		.bePackagePrivate()
		.because("features never touch another feature's repository");

}
