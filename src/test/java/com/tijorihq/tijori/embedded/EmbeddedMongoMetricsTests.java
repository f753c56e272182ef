package com.tijorihq.tijori.embedded;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/** Operators can see how well the embedded MongoDB groups writes into commits. */
@IntegrationTest
class EmbeddedMongoMetricsTests {

	@Autowired
	ApiClients clients;

	@Test
	void commitsAndWritesAreScraped() {
		this.clients.customer();
		String body = this.clients.management()
			.get("/actuator/prometheus")
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		double commits = counter(body, "tijori_embedded_commits_total");
		double writes = counter(body, "tijori_embedded_writes_total");
		assertThat(commits).as("registering a customer wrote and committed").isPositive();
		assertThat(writes).isGreaterThanOrEqualTo(commits);
	}

	private static double counter(String prometheus, String name) {
		Matcher line = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*\\})? (\\S+)$").matcher(prometheus);
		assertThat(line.find()).as(name + " in\n" + prometheus).isTrue();
		return Double.parseDouble(line.group(1));
	}

}
