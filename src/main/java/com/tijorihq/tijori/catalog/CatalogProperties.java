package com.tijorihq.tijori.catalog;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param listCache how long a page of the product listing may be served from memory (0 = never)
 */
@ConfigurationProperties("tijori.catalog")
record CatalogProperties(@DefaultValue("1s") Duration listCache) {
}
