package com.tijorihq.tijori.reconciliation;

/**
 * The last line of a report.
 *
 * @param orders orders compared
 * @param differences differences found, of every action
 * @param unexplained differences an admin must act on or that could not be checked
 * @param unknownPaymentsListed gateways whose payments in the window were listed (only those can show
 *        {@code unknown_payment}); the others have no listing API
 */
record Summary(String from, String to, String gateway, long orders, long differences, long unexplained,
		java.util.List<String> unknownPaymentsListed) implements ReportLine {
}
