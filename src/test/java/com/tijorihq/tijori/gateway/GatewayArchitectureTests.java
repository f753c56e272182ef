package com.tijorihq.tijori.gateway;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** SDK types stay in the adapter; the sandbox is reached over HTTP only. */
@AnalyzeClasses(packages = "com.tijorihq.tijori", importOptions = ImportOption.DoNotIncludeTests.class)
class GatewayArchitectureTests {

	@ArchTest
	static final ArchRule onlyTheRazorpayAdapterUsesTheSdk = noClasses().that()
		.resideOutsideOfPackage("com.tijorihq.tijori.gateway.razorpay..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("com.razorpay..", "okhttp3..")
		.because("razorpay-java and its HTTP client are an implementation detail of gateway.razorpay");

	@ArchTest
	static final ArchRule nothingImportsTheSandbox = noClasses().that()
		.resideOutsideOfPackage("com.tijorihq.tijori.gateway.sandbox..")
		.should()
		.dependOnClassesThat()
		.resideInAPackage("com.tijorihq.tijori.gateway.sandbox..")
		.because("the sandbox plays a remote gateway: the app reaches it over HTTP like Razorpay");

	@ArchTest
	static final ArchRule thePortKnowsNoAdapter = noClasses().that()
		.resideInAPackage("com.tijorihq.tijori.gateway")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("com.tijorihq.tijori.gateway.razorpay..", "com.tijorihq.tijori.gateway.sandbox..");

}
