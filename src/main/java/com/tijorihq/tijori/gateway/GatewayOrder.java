package com.tijorihq.tijori.gateway;

import com.tijorihq.tijori.common.Money;

/** A gateway's order. {@code status} is the gateway's own ({@code created}, {@code attempted}, {@code paid}). */
public record GatewayOrder(String id, Money amount, long amountPaid, String receipt, String status) {
}
