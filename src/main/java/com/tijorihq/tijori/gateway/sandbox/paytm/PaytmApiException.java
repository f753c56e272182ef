package com.tijorihq.tijori.gateway.sandbox.paytm;

/** A refusal the sandbox answers the way Paytm does: HTTP 200 with {@code body.resultInfo} saying why. */
class PaytmApiException extends RuntimeException {

	final String resultStatus;

	final String resultCode;

	PaytmApiException(String resultStatus, String resultCode, String resultMsg) {
		super(resultMsg, null, false, false);
		this.resultStatus = resultStatus;
		this.resultCode = resultCode;
	}

	static PaytmApiException invalidChecksum() {
		return new PaytmApiException("F", "2005", "Checksum provided is invalid");
	}

	static PaytmApiException badRequest(String what) {
		return new PaytmApiException("F", "1001", "Request parameters are not valid: " + what);
	}

}
