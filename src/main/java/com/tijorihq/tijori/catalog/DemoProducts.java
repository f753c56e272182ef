package com.tijorihq.tijori.catalog;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.env.Environment;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

import com.tijorihq.tijori.common.Money;
import com.tijorihq.tijori.common.StartupTask;

/**
 * Puts a few demo products into an empty demo shop: only on the embedded database ({@code MONGODB_URI} unset),
 * never in the {@code prod} profile. Each demo product has a fixed public id guarded by the unique index, so a
 * second start, a second replica or a start interrupted half-way can never seed twice; a demo product an admin
 * deleted stays deleted, because deletion is soft and keeps its id.
 */
@Component
class DemoProducts implements StartupTask {

	private static final Logger log = LoggerFactory.getLogger(DemoProducts.class);

	static final List<Demo> PRODUCTS = List.of(
			new Demo("DemoDarjeelingTea001", "Darjeeling First Flush Tea, 100 g",
					"Whole-leaf spring harvest from a Kurseong estate; light, floral, muscatel.", 64900),
			new Demo("DemoKashmirSaffron01", "Kashmiri Saffron (Kesar), 1 g",
					"Mongra grade threads from Pampore, hand-sorted. For biryani, kheer and kahwa.", 34900),
			new Demo("DemoChanderiSaree001", "Chanderi Cotton-Silk Saree",
					"Handwoven in Madhya Pradesh with zari buttis; 5.5 m with blouse piece.", 249900),
			new Demo("DemoBrassDiyaSet0001", "Brass Diya, Set of 4",
					"Hand-cast brass oil lamps from Moradabad, for Diwali and every evening after.", 79900),
			new Demo("DemoMangoPickle00001", "Alphonso Mango Pickle, 500 g",
					"Ratnagiri mangoes, cold-pressed mustard oil, grandmother's recipe. No preservatives.", 29900),
			new Demo("DemoJaipurBedsheet01", "Jaipuri Block-Print Double Bedsheet",
					"Hand block-printed cotton from Sanganer with two pillow covers.", 129900));

	private final ProductRepository products;

	private final boolean enabled;

	DemoProducts(ProductRepository products, Environment env) {
		this.products = products;
		this.enabled = !StringUtils.hasText(env.getProperty("MONGODB_URI")) && !env.matchesProfiles("prod");
	}

	@Override
	public String name() {
		return "demo products";
	}

	@Override
	public Mono<Void> run() {
		if (!this.enabled) {
			return Mono.empty();
		}
		Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		// one millisecond apart, so the listing shows them in the order above
		return Flux.range(0, PRODUCTS.size())
			.concatMap(i -> this.products.insert(PRODUCTS.get(i).toDocument(now.plusMillis(i)))
				.map(inserted -> 1)
				.onErrorResume(DuplicateKeyException.class, ex -> Mono.just(0)))
			.reduce(0, Integer::sum)
			.doOnNext(count -> {
				if (count > 0) {
					log.info("Seeded {} demo products (embedded demo mode)", count);
				}
			})
			.then();
	}

	boolean enabled() {
		return this.enabled;
	}

	record Demo(String key, String name, String description, long paise) {

		String id() {
			return ProductDocument.PREFIX + this.key;
		}

		ProductDocument toDocument(Instant createdAt) {
			return ProductDocument.create(id(), this.name, this.description, Money.inr(this.paise), true, createdAt);
		}

	}

}
