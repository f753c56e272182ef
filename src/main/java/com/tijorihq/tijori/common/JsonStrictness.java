package com.tijorihq.tijori.common;

import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;

import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The other half of the strict JSON in {@code application.yml}: a number or boolean sent where text belongs
 * ({@code "name": 7}) is a 400, not silently turned into {@code "7"}.
 */
@Configuration(proxyBeanMethods = false)
class JsonStrictness {

	@Bean
	Jackson2ObjectMapperBuilderCustomizer noScalarToTextCoercion() {
		return builder -> builder.postConfigurer(mapper -> mapper.coercionConfigFor(LogicalType.Textual)
			.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
			.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
			.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
	}

}
