/**
 * Paytm adapter: Initiate Transaction, JS Checkout data, the checksummed callback, order status and refunds over
 * Spring's reactive {@code WebClient}.
 */
package com.tijorihq.tijori.gateway.paytm;
