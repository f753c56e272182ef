package com.tijorihq.tijori.gateway;

import com.tijorihq.tijori.common.Money;

/**
 * A payment attempt as the gateway reports it.
 *
 * @param amountRefunded in the payment's currency's smallest unit
 */
public record GatewayPayment(String id, String orderId, Money amount, Status status, String method,
		long amountRefunded, String errorCode, String errorDescription) {

	/** Gateway payment statuses, mapped exhaustively by each adapter. */
	public enum Status {

		CREATED, AUTHORIZED, CAPTURED, REFUNDED, FAILED

	}

}
