package com.tijorihq.tijori.reconciliation;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** Reconciliation reads Tijori's books only through {@link OrderBooks}, which checkout implements. */
@AnalyzeClasses(packages = "com.tijorihq.tijori", importOptions = ImportOption.DoNotIncludeTests.class)
class ReconciliationArchitectureTests {

	@ArchTest
	static final ArchRule reconciliationDoesNotDependOnCheckout = noClasses().that()
		.resideInAPackage("com.tijorihq.tijori.reconciliation..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("com.tijorihq.tijori.checkout..", "com.tijorihq.tijori.gateway.sandbox..")
		.because("checkout answers OrderBooks; the report never reads the orders collection itself");

}
