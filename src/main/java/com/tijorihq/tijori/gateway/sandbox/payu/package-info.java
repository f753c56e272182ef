/**
 * A PayU-compatible sandbox under {@code /sandbox/payu}, active only without PayU credentials and never in
 * {@code prod}: the hosted {@code _payment} page, the signed return to {@code surl}/{@code furl}, and the
 * {@code postservice} APIs. Nothing outside {@code gateway.sandbox} imports it; the adapter reaches it over HTTP.
 */
package com.tijorihq.tijori.gateway.sandbox.payu;
