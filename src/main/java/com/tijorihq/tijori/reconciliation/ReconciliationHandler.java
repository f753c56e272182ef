package com.tijorihq.tijori.reconciliation;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import com.tijorihq.tijori.accounts.CurrentUser;
import com.tijorihq.tijori.common.TijoriException;
import com.tijorihq.tijori.common.TijoriException.FieldError;
import com.tijorihq.tijori.gateway.PaymentGateways;

/**
 * {@code GET /api/admin/reconciliation}: JSON pages by default, the whole window as NDJSON
 * ({@code Accept: application/x-ndjson}) or CSV ({@code Accept: text/csv}). Admins only.
 */
@Component
class ReconciliationHandler {

	static final MediaType CSV = MediaType.parseMediaType("text/csv;charset=UTF-8");

	private final ReconciliationService reports;

	private final PaymentGateways gateways;

	private final ReconciliationProperties properties;

	ReconciliationHandler(ReconciliationService reports, PaymentGateways gateways,
			ReconciliationProperties properties) {
		this.reports = reports;
		this.gateways = gateways;
		this.properties = properties;
	}

	Mono<ServerResponse> report(ServerRequest request) {
		return CurrentUser.require(request)
			.filter(user -> user.isAdmin())
			.switchIfEmpty(Mono.error(() -> new TijoriException(HttpStatus.FORBIDDEN, "forbidden",
					"Only admins may see the reconciliation report.")))
			.flatMap(admin -> respond(request));
	}

	private Mono<ServerResponse> respond(ServerRequest request) {
		List<FieldError> errors = new ArrayList<>();
		Instant from = instant(request, "from", errors);
		Instant to = instant(request, "to", errors);
		String gateway = single(request, "gateway", errors).orElse(null);
		if (gateway != null && this.gateways.find(gateway).isEmpty()) {
			errors.add(new FieldError("gateway", "must be an enabled gateway: " + this.gateways.enabled()
				.stream()
				.map(g -> g.name())
				.toList()));
		}
		if (from != null && to != null && !from.isBefore(to)) {
			errors.add(new FieldError("to", "must be after from"));
		}
		else if (from != null && to != null && from.plus(this.properties.maxWindow()).isBefore(to)) {
			errors.add(new FieldError("to", "must be at most " + this.properties.maxWindow().toDays()
					+ " days after from; report a longer period window by window"));
		}
		MediaType format = format(request);
		int limit = MediaType.APPLICATION_JSON.equals(format) ? limit(request, errors) : 0;
		BookedOrder.Position after = single(request, "cursor", errors).map(Cursor::decode).orElse(null);
		if (!errors.isEmpty()) {
			return Mono.error(TijoriException.invalid(errors));
		}
		ReconciliationService.Window window = new ReconciliationService.Window(from, to, gateway);
		if (CSV.equalsTypeAndSubtype(format)) {
			Flux<String> rows = Flux.concat(Mono.just(ReportCsv.HEADER), this.reports.stream(window).map(ReportCsv::row));
			return ServerResponse.ok()
				.contentType(CSV)
				.header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"reconciliation-"
						+ (from + "-" + to).replace(':', '-') + ".csv\"")
				.body(rows, String.class);
		}
		if (MediaType.APPLICATION_NDJSON.equals(format)) {
			return ServerResponse.ok()
				.contentType(MediaType.APPLICATION_NDJSON)
				.body(this.reports.stream(window), ReportLine.class);
		}
		return this.reports.page(window, after, limit).flatMap(page -> ServerResponse.ok().bodyValue(page));
	}

	/** CSV or NDJSON when the client names it, otherwise a JSON page. */
	private static MediaType format(ServerRequest request) {
		List<MediaType> accepted = new ArrayList<>(request.headers().accept());
		MediaType.sortBySpecificityAndQuality(accepted);
		for (MediaType type : accepted) {
			if (type.isCompatibleWith(CSV) && !type.isWildcardType()) {
				return CSV;
			}
			if (type.isCompatibleWith(MediaType.APPLICATION_NDJSON) && !type.isWildcardSubtype()) {
				return MediaType.APPLICATION_NDJSON;
			}
			if (type.isCompatibleWith(MediaType.APPLICATION_JSON)) {
				return MediaType.APPLICATION_JSON;
			}
		}
		return MediaType.APPLICATION_JSON;
	}

	private int limit(ServerRequest request, List<FieldError> errors) {
		Optional<String> value = single(request, "limit", errors);
		if (value.isEmpty()) {
			return this.properties.pageSize();
		}
		try {
			int limit = Integer.parseInt(value.get());
			if (limit >= 1 && limit <= this.properties.maxPageSize()) {
				return limit;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		errors.add(new FieldError("limit", "must be a whole number from 1 to " + this.properties.maxPageSize()));
		return 0;
	}

	/** An ISO-8601 instant ({@code 2026-12-01T00:00:00Z}) or a date, meaning its start in UTC. */
	private static Instant instant(ServerRequest request, String name, List<FieldError> errors) {
		Optional<String> value = single(request, name, errors);
		if (value.isEmpty()) {
			if (!request.queryParams().containsKey(name)) {
				errors.add(new FieldError(name, "is required"));
			}
			return null;
		}
		String text = value.get();
		try {
			return (text.length() == 10) ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
					: Instant.parse(text);
		}
		catch (DateTimeException ex) {
			errors.add(new FieldError(name, "must be an ISO-8601 instant (2026-12-01T00:00:00Z) or date (2026-12-01)"));
			return null;
		}
	}

	private static Optional<String> single(ServerRequest request, String name, List<FieldError> errors) {
		List<String> values = request.queryParams().get(name);
		if (values == null || values.isEmpty()) {
			return Optional.empty();
		}
		if (values.size() > 1 || values.get(0).isBlank()) {
			errors.add(new FieldError(name, "must be given once, not blank"));
			return Optional.empty();
		}
		return Optional.of(values.get(0));
	}

}
