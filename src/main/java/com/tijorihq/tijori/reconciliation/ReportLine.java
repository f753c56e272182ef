package com.tijorihq.tijori.reconciliation;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** One line of a streamed report (NDJSON): a difference, a gateway's totals, or the closing summary. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(value = Difference.class, name = "difference"),
		@JsonSubTypes.Type(value = Totals.class, name = "totals"),
		@JsonSubTypes.Type(value = Summary.class, name = "summary") })
sealed interface ReportLine permits Difference, Totals, Summary {

}
