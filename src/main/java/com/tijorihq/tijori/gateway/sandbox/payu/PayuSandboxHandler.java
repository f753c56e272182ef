package com.tijorihq.tijori.gateway.sandbox.payu;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import com.tijorihq.tijori.common.RequestBodies;
import com.tijorihq.tijori.common.TijoriException;
import com.tijorihq.tijori.gateway.sandbox.SandboxPages;

import static com.tijorihq.tijori.gateway.sandbox.SandboxPages.html;

/**
 * HTTP side of the PayU sandbox: the hosted page ({@code POST /_payment}, HTML like PayU's), the buyer's choice
 * ({@code POST /pay}: a form from that page, or JSON for tests and automation) and {@code postservice}.
 */
class PayuSandboxHandler {

	private final PayuSandboxLedger ledger;

	private final RequestBodies bodies;

	PayuSandboxHandler(PayuSandboxLedger ledger, RequestBodies bodies) {
		this.ledger = ledger;
		this.bodies = bodies;
	}

	/** The merchant's signed form, posted by the buyer's browser: PayU's payment page, or its error page. */
	Mono<ServerResponse> payment(ServerRequest request) {
		return request.formData()
			.map(PayuSandboxHandler::single)
			.flatMap(this.ledger::open)
			.flatMap(transaction -> html(HttpStatus.OK, PayuSandboxPages.payment(this.ledger.key(), transaction.id(),
					transaction.amount(), transaction.form()), null))
			.onErrorResume(PayuSandboxException.class, PayuSandboxHandler::errorPage);
	}

	/**
	 * The buyer's Pay or Fail. From the page (a form): PayU's auto-submitting return to surl/furl. As JSON
	 * {@code {txnid, outcome, amount?}}: the callback URL and the signed fields that return would post.
	 */
	Mono<ServerResponse> pay(ServerRequest request) {
		boolean form = request.headers()
			.contentType()
			.filter(MediaType.APPLICATION_FORM_URLENCODED::isCompatibleWith)
			.isPresent();
		if (form) {
			return request.formData()
				.map(PayuSandboxHandler::single)
				.flatMap(fields -> this.ledger.pay(fields.getOrDefault("txnid", ""),
						"success".equals(fields.get("outcome")), null))
				.flatMap(result -> html(HttpStatus.OK, PayuSandboxPages.redirect(result.callbackUrl(), result.fields()),
						result.callbackUrl()))
				.onErrorResume(PayuSandboxException.class, PayuSandboxHandler::errorPage);
		}
		return this.bodies.read(request, PayuSandboxPayRequest.class)
			.flatMap(body -> this.ledger.pay(body.txnid(), "success".equals(body.outcome()), body.amount()))
			.onErrorMap(PayuSandboxException.class, ex -> new TijoriException(ex.status(), "sandbox_" + ex.code(),
					ex.getMessage()))
			.flatMap(result -> {
				Map<String, Object> body = new LinkedHashMap<>();
				body.put("callbackUrl", result.callbackUrl());
				body.put("fields", result.fields());
				return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(body);
			});
	}

	/** PayU's {@code postservice}: always 200 with {@code status} 1 or 0 and a {@code msg}, as PayU answers. */
	Mono<ServerResponse> postservice(ServerRequest request) {
		return request.formData()
			.map(PayuSandboxHandler::single)
			.flatMap(this.ledger::postservice)
			.flatMap(body -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(body));
	}

	private static Mono<ServerResponse> errorPage(PayuSandboxException ex) {
		return html(ex.status(), PayuSandboxPages.error(ex.getMessage()), null);
	}


	/** A field sent twice counts once (the first), as the hash can only cover one. */
	private static Map<String, String> single(MultiValueMap<String, String> data) {
		Map<String, String> fields = new LinkedHashMap<>();
		data.forEach((key, values) -> {
			List<String> present = (values != null) ? values : List.of();
			fields.put(key, present.isEmpty() || present.get(0) == null ? "" : present.get(0));
		});
		return fields;
	}

	/** @param amount what the sandbox records as paid instead of the form's amount (a mismatch for tests) */
	record PayuSandboxPayRequest(@NotBlank String txnid,
			@NotNull @Pattern(regexp = "success|failure", message = "must be success or failure") String outcome,
			@Pattern(regexp = "\\d{1,12}(\\.\\d{1,2})?", message = "must be a decimal amount such as 499.00") String amount) {
	}

}
