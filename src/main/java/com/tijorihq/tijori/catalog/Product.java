package com.tijorihq.tijori.catalog;

import com.tijorihq.tijori.common.Money;

/** A product as other features see it. */
public record Product(String id, String name, String description, Money price, boolean active) {
}
