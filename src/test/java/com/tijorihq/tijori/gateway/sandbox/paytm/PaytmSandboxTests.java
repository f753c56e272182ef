package com.tijorihq.tijori.gateway.sandbox.paytm;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.util.HtmlUtils;

import com.tijorihq.tijori.gateway.paytm.PaytmChecksum;
import com.tijorihq.tijori.gateway.paytm.PaytmFlows;
import com.tijorihq.tijori.support.ApiClient;
import com.tijorihq.tijori.support.ApiClients;
import com.tijorihq.tijori.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/** The Paytm sandbox's own wire: checksums on every API, Paytm's error shape, the hosted checkout pages. */
@IntegrationTest
class PaytmSandboxTests {

	private static final String MID = PaytmFlows.SANDBOX_MID;

	private static final String KEY = PaytmFlows.SANDBOX_KEY;

	private static final Pattern HIDDEN = Pattern
		.compile("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">");

	@Autowired
	ApiClients clients;

	PaytmFlows flows;

	@BeforeEach
	void setUp() {
		this.flows = new PaytmFlows(this.clients);
	}

	@Test
	void everyApiRefusesABadChecksumInPaytmsShape() {
		String body = "{\"mid\":\"" + MID + "\",\"orderId\":\"ord_x\"}";
		for (String path : new String[] { "/theia/api/v1/initiateTransaction?mid=" + MID + "&orderId=ord_x",
				"/v3/order/status", "/refund/apply", "/v2/refund/status" }) {
			JsonNode wrongKey = api(path, body, PaytmChecksum.generate(body, "another_key_16by"));
			assertThat(wrongKey.at("/body/resultInfo/resultStatus").asText()).as(path).isEqualTo("F");
			assertThat(wrongKey.at("/body/resultInfo/resultCode").asText()).as(path).isEqualTo("2005");
			assertThat(wrongKey.at("/body/resultInfo/resultMsg").asText()).isEqualTo("Checksum provided is invalid");
			String signed = PaytmChecksum.generate(body, KEY);
			JsonNode tampered = api(path, body.replace("ord_x", "ord_y"), signed);
			assertThat(tampered.at("/body/resultInfo/resultCode").asText()).as(path).isEqualTo("2005");
			JsonNode unsigned = send(path, "{\"head\":{},\"body\":" + body + "}");
			assertThat(unsigned.at("/body/resultInfo/resultCode").asText()).as(path).isEqualTo("2005");
			JsonNode malformed = send(path, "{\"head\":{\"signature\":\"x\"},\"body\":{");
			assertThat(malformed.at("/body/resultInfo/resultStatus").asText()).as(path).isEqualTo("F");
			assertThat(malformed.at("/body/resultInfo/resultCode").asText()).as(path).isEqualTo("1001");
		}
	}

	@Test
	void theSignatureCoversTheBodyTextExactlyAsSent() {
		// unusual spacing and key order: a sandbox that re-serialised the body would compute another checksum
		String body = "{ \"orderId\" : \"ord_nope_1\",\n  \"mid\":\"" + MID + "\" }";
		JsonNode status = api("/v3/order/status", body, PaytmChecksum.generate(body, KEY));
		assertThat(status.at("/body/resultInfo/resultStatus").asText()).isEqualTo("TXN_FAILURE");
		assertThat(status.at("/body/resultInfo/resultCode").asText()).isEqualTo("334");
		assertThat(status.at("/head/signature").asText()).isNotBlank();
		assertThat(status.at("/body/txnId").isMissingNode()).isTrue();
	}

	@Test
	void unknownIdsAnswerPaytmsNotFoundCodes() {
		String refund = "{\"mid\":\"" + MID + "\",\"orderId\":\"ord_nope_2\",\"refId\":\"rfd_nope\"}";
		JsonNode refundStatus = api("/v2/refund/status", refund, PaytmChecksum.generate(refund, KEY));
		assertThat(refundStatus.at("/body/resultInfo/resultCode").asText()).isEqualTo("631");
		String apply = "{\"mid\":\"" + MID + "\",\"txnType\":\"REFUND\",\"orderId\":\"ord_nope_2\",\"txnId\":\"1\","
				+ "\"refId\":\"rfd_nope_2\",\"refundAmount\":\"1.00\"}";
		JsonNode refused = api("/refund/apply", apply, PaytmChecksum.generate(apply, KEY));
		assertThat(refused.at("/body/resultInfo/resultStatus").asText()).isEqualTo("TXN_FAILURE");
		String otherMid = "{\"mid\":\"Other0000000000000001\",\"orderId\":\"ord_nope_3\"}";
		JsonNode mid = api("/v3/order/status", otherMid, PaytmChecksum.generate(otherMid, KEY));
		assertThat(mid.at("/body/resultInfo/resultStatus").asText()).isEqualTo("F");
		this.clients.anonymous()
			.post("/sandbox/paytm/pay", Map.of("orderId", "ord_nope_4", "outcome", "success"))
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
		this.clients.anonymous()
			.post("/sandbox/paytm/pay", Map.of("orderId", "ord_nope_4", "outcome", "maybe"))
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo("outcome");
	}

	@Test
	void anInitiatedOrderIsPendingUntilPaidAndIsPaidOnlyOnce() {
		ApiClient buyer = this.clients.customer();
		JsonNode order = this.flows.order(buyer, 11_100);
		String id = order.get("id").asText();
		String body = "{\"mid\":\"" + MID + "\",\"orderId\":\"" + id + "\"}";
		JsonNode pending = api("/v3/order/status", body, PaytmChecksum.generate(body, KEY));
		assertThat(pending.at("/body/resultInfo/resultStatus").asText()).isEqualTo("PENDING");

		this.clients.anonymous()
			.post("/sandbox/paytm/pay", Map.of("orderId", id, "outcome", "success", "txnToken", "wrong"))
			.expectStatus()
			.isBadRequest();
		this.clients.anonymous()
			.post("/sandbox/paytm/pay", Map.of("orderId", id, "outcome", "success", "amount", "1.001"))
			.expectStatus()
			.isBadRequest();
		this.flows.pay(order, "success", null);
		this.clients.anonymous()
			.post("/sandbox/paytm/pay", Map.of("orderId", id, "outcome", "failure"))
			.expectStatus()
			.isEqualTo(409);

		JsonNode paid = api("/v3/order/status", body, PaytmChecksum.generate(body, KEY));
		assertThat(paid.at("/body/resultInfo/resultStatus").asText()).isEqualTo("TXN_SUCCESS");
		assertThat(paid.at("/body/txnAmount").asText()).isEqualTo("111.00");
		assertThat(paid.at("/body/txnId").asText()).matches("\\d+");
	}

	@Test
	void theCheckoutPagePostsTheSignedResultToTheCallbackLikePaytm() {
		ApiClient buyer = this.clients.customer();
		JsonNode order = this.flows.order(buyer, 22_200);
		String id = order.get("id").asText();
		ApiClient browser = this.clients.anonymous();

		String page = html(browser.get(order.at("/checkout/checkoutUrl").asText()).expectStatus().isOk());
		assertThat(page).contains("id=\"pay\"", "id=\"fail\"", MID, id, "222.00", "action=\"pay\"");
		Map<String, String> form = hidden(page);
		assertThat(form).containsEntry("mid", MID).containsEntry("orderId", id)
			.containsEntry("txnToken", order.at("/checkout/txnToken").asText());

		form.put("outcome", "success");
		String autoSubmit = html(postForm(browser, "/sandbox/paytm/pay", form).expectStatus().isOk());
		assertThat(autoSubmit).contains("<form id=\"callback\" method=\"post\" action=\"/api/payments/paytm/callback\">",
				"id=\"continue\"", ".submit()");
		Map<String, String> callback = hidden(autoSubmit);
		assertThat(callback).containsEntry("ORDERID", id).containsEntry("STATUS", "TXN_SUCCESS")
			.containsEntry("TXNAMOUNT", "222.00");
		assertThat(PaytmChecksum.verify(PaytmChecksum.callbackParams(callback), KEY,
				callback.get(PaytmChecksum.CHECKSUMHASH))).isTrue();

		// the token was for one checkout: the page and the form are gone now
		browser.get(order.at("/checkout/checkoutUrl").asText()).expectStatus().isEqualTo(409);
		postForm(browser, "/sandbox/paytm/pay", form).expectStatus().isEqualTo(409);

		this.flows.callback(callback).expectStatus().isSeeOther();
		assertThat(this.flows.get(buyer, id).get("status").asText()).isEqualTo("paid");
	}

	@Test
	void theCheckoutPageRefusesAnotherMerchantOrAWrongToken() {
		ApiClient buyer = this.clients.customer();
		JsonNode order = this.flows.order(buyer, 33_300);
		String id = order.get("id").asText();
		ApiClient browser = this.clients.anonymous();
		browser.get("/sandbox/paytm/checkout?mid=Other&orderId=" + id + "&txnToken=x").expectStatus().isBadRequest();
		browser.get("/sandbox/paytm/checkout?mid=" + MID + "&orderId=" + id + "&txnToken=x")
			.expectStatus()
			.isBadRequest();
		browser.get("/sandbox/paytm/checkout?mid=" + MID + "&orderId=ord_nope_5&txnToken=x").expectStatus().isNotFound();
	}

	@Test
	void initiatingTheSameOrderAgainIsIdempotentAndAnotherAmountIsADuplicate() {
		String orderId = "ord_sandbox_repeat_" + System.nanoTime();
		String body = initiateBody(orderId, "10.00");
		String path = "/theia/api/v1/initiateTransaction?mid=" + MID + "&orderId=" + orderId;
		JsonNode first = api(path, body, PaytmChecksum.generate(body, KEY));
		assertThat(first.at("/body/resultInfo/resultCode").asText()).isEqualTo("0000");
		JsonNode again = api(path, body, PaytmChecksum.generate(body, KEY));
		assertThat(again.at("/body/resultInfo/resultCode").asText()).isEqualTo("0002");
		assertThat(again.at("/body/txnToken").asText()).isEqualTo(first.at("/body/txnToken").asText());
		String other = initiateBody(orderId, "11.00");
		JsonNode duplicate = api(path, other, PaytmChecksum.generate(other, KEY));
		assertThat(duplicate.at("/body/resultInfo/resultStatus").asText()).isEqualTo("F");
		assertThat(duplicate.at("/body/resultInfo/resultCode").asText()).isEqualTo("325");
		JsonNode mismatch = api("/theia/api/v1/initiateTransaction?mid=" + MID + "&orderId=other", body,
				PaytmChecksum.generate(body, KEY));
		assertThat(mismatch.at("/body/resultInfo/resultStatus").asText()).isEqualTo("F");
	}

	private static String initiateBody(String orderId, String amount) {
		return "{\"requestType\":\"Payment\",\"mid\":\"" + MID + "\",\"websiteName\":\"WEBSTAGING\",\"orderId\":\""
				+ orderId + "\",\"callbackUrl\":\"/api/payments/paytm/callback\",\"txnAmount\":{\"value\":\"" + amount
				+ "\",\"currency\":\"INR\"},\"userInfo\":{\"custId\":\"cust_1\"}}";
	}

	private JsonNode api(String path, String body, String signature) {
		return send(path, "{\"head\":{\"signature\":\"" + signature + "\"},\"body\":" + body + "}");
	}

	private JsonNode send(String path, String text) {
		return this.clients.anonymous()
			.raw()
			.post()
			.uri("/sandbox/paytm" + path)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(text)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

	private static org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec postForm(ApiClient browser,
			String path, Map<String, String> fields) {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		fields.forEach(form::add);
		return browser.raw()
			.post()
			.uri(path)
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(BodyInserters.fromFormData(form))
			.exchange();
	}

	private static String html(org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec spec) {
		return spec.expectHeader()
			.contentTypeCompatibleWith(MediaType.TEXT_HTML)
			.expectHeader()
			.exists("Content-Security-Policy")
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

	private static Map<String, String> hidden(String html) {
		Map<String, String> fields = new LinkedHashMap<>();
		Matcher matcher = HIDDEN.matcher(html);
		while (matcher.find()) {
			fields.put(HtmlUtils.htmlUnescape(matcher.group(1)), HtmlUtils.htmlUnescape(matcher.group(2)));
		}
		return fields;
	}

}
