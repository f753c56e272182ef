package com.tijorihq.tijori.events;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** Checkout publishes to the streams through events' ports; events never reaches back into checkout. */
@AnalyzeClasses(packages = "com.tijorihq.tijori", importOptions = ImportOption.DoNotIncludeTests.class)
class EventsArchitectureTests {

	@ArchTest
	static final ArchRule eventsDoesNotDependOnCheckout = noClasses().that()
		.resideInAPackage("com.tijorihq.tijori.events..")
		.should()
		.dependOnClassesThat()
		.resideInAPackage("com.tijorihq.tijori.checkout..")
		.because("checkout hands status changes to OrderEventPublisher and answers OrderAccess; events owns "
				+ "order_events and asks checkout nothing else");

}
