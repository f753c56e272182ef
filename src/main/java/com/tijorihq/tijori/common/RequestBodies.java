package com.tijorihq.tijori.common;

import java.util.Comparator;
import java.util.List;

import java.util.regex.Pattern;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.RegexPatternTypeFilter;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.util.ClassUtils;
import org.springframework.web.reactive.function.server.ServerRequest;

/** Reads a JSON body into a record and validates it, so handlers stay thin. */
@Component
public class RequestBodies {

	private final Validator validator;

	public RequestBodies(Validator validator) {
		this.validator = validator;
		// The first violation loads Hibernate Validator's message bundles from the classpath (file I/O). Do it
		// now, at start-up on the main thread, rather than on an event-loop thread with the first bad request.
		validator.validate(new WarmUp(null));
		// Hibernate Validator also builds each class's constraint metadata on first use, under a lock that
		// concurrent first requests would wait on; build it for every request body type now.
		ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
		scanner.addIncludeFilter(new RegexPatternTypeFilter(Pattern.compile(".*Request")));
		for (BeanDefinition candidate : scanner.findCandidateComponents("com.tijorihq.tijori")) {
			validator.getConstraintsForClass(ClassUtils.resolveClassName(candidate.getBeanClassName(), null));
		}
	}

	private record WarmUp(@jakarta.validation.constraints.NotNull String value) {
	}

	public <T> Mono<T> read(ServerRequest request, Class<T> type) {
		MediaType contentType = request.headers().contentType().orElse(null);
		if (contentType == null || !MediaType.APPLICATION_JSON.isCompatibleWith(contentType)) {
			return Mono.error(new TijoriException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
					"Send the body as application/json."));
		}
		return request.bodyToMono(type)
			.switchIfEmpty(Mono.error(() -> TijoriException.badRequest("missing_body", "A JSON body is required.")))
			.flatMap(this::validated);
	}

	public <T> Mono<T> validated(T value) {
		List<TijoriException.FieldError> errors = validate(value);
		return errors.isEmpty() ? Mono.just(value) : Mono.error(TijoriException.invalid(errors));
	}

	public <T> List<TijoriException.FieldError> validate(T value) {
		return this.validator.validate(value)
			.stream()
			.map(RequestBodies::toFieldError)
			.sorted(Comparator.comparing(TijoriException.FieldError::field))
			.toList();
	}

	private static TijoriException.FieldError toFieldError(ConstraintViolation<?> violation) {
		return new TijoriException.FieldError(violation.getPropertyPath().toString(), violation.getMessage());
	}

}
