/**
 * An offline stand-in for Paytm's servers and hosted checkout at {@code /sandbox/paytm}: Initiate Transaction,
 * a checkout page, the signed callback form, order status and refunds, checksummed exactly like Paytm's.
 */
package com.tijorihq.tijori.gateway.sandbox.paytm;
