package com.tijorihq.tijori.catalog;

import java.util.Collection;
import java.util.Map;

import reactor.core.publisher.Mono;

/** The catalog as checkout uses it. */
public interface ProductCatalog {

	/**
	 * The products among {@code ids} that can be ordered now (exist, active, not deleted), keyed by id. Ids that
	 * are unknown, inactive or deleted are simply absent from the map.
	 */
	Mono<Map<String, Product>> findOrderable(Collection<String> ids);

}
