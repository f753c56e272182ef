/**
 * A Razorpay-compatible sandbox under {@code /sandbox/razorpay}, active only without Razorpay keys and never in
 * {@code prod}: the SDK's REST subset, a checkout stand-in, signed webhooks and fault injection. Nothing outside
 * this package imports it; the adapter reaches it over HTTP like the real gateway.
 */
package com.tijorihq.tijori.gateway.sandbox;
