package com.tijorihq.tijori.gateway;

import com.tijorihq.tijori.common.Money;

/** A refund as the gateway reports it. */
public record GatewayRefund(String id, String paymentId, Money amount, Status status) {

	public enum Status {

		PENDING, PROCESSED, FAILED

	}

}
