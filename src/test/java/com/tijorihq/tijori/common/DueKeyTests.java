package com.tijorihq.tijori.common;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Due keys sort by time as plain strings, and a key is due once its time is before the bound. */
class DueKeyTests {

	@Test
	void keysAreThirteenZeroPaddedDigitsThenTheId() {
		assertThat(DueKey.at(Instant.ofEpochMilli(5), "ord_1")).isEqualTo("0000000000005:ord_1");
		assertThat(DueKey.at(Instant.parse("2026-12-03T07:00:00Z"), "ord_2")).isEqualTo("1796281200000:ord_2");
		assertThat(DueKey.at(Instant.ofEpochMilli(-3), "ord_3")).isEqualTo("0000000000000:ord_3");
	}

	@Test
	void aKeyIsDueByTheNextMillisecondAndNotBefore() {
		Instant now = Instant.parse("2026-12-03T07:00:00.250Z");
		assertThat(DueKey.at(now, "ord_zzz")).isLessThan(DueKey.dueBy(now));
		assertThat(DueKey.at(now.plusMillis(1), "ord_a")).isGreaterThan(DueKey.dueBy(now));
		assertThat(DueKey.at(Instant.ofEpochMilli(999), "x")).isLessThan(DueKey.at(Instant.ofEpochMilli(1000), "a"));
	}

}
