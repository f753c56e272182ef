package com.tijorihq.tijori.common;

import java.util.ArrayList;
import java.util.List;

import org.springframework.web.reactive.function.server.ServerRequest;

/** One page of a listing, as every list endpoint returns it: {@code {items, page, size, total}}. */
public record Page<T>(List<T> items, int page, int size, long total) {

	/** Validated {@code page} and {@code size} query parameters (page ≥ 0, 1 ≤ size ≤ 100, default 20). */
	public record Request(int page, int size) {

		public long offset() {
			return (long) this.page * this.size;
		}

		public static Request from(ServerRequest request) {
			List<TijoriException.FieldError> errors = new ArrayList<>();
			int page = parse(request, "page", 0, 0, 1_000_000, errors);
			int size = parse(request, "size", 20, 1, 100, errors);
			if (!errors.isEmpty()) {
				throw TijoriException.invalid(errors);
			}
			return new Request(page, size);
		}

		private static int parse(ServerRequest request, String name, int fallback, int min, int max,
				List<TijoriException.FieldError> errors) {
			List<String> values = request.queryParams().get(name);
			if (values == null || values.isEmpty()) {
				return fallback;
			}
			try {
				int value = Integer.parseInt(values.get(0));
				if (value >= min && value <= max && values.size() == 1) {
					return value;
				}
			}
			catch (NumberFormatException ex) {
				// reported below
			}
			errors.add(new TijoriException.FieldError(name, "must be an integer from " + min + " to " + max));
			return fallback;
		}

	}

}
