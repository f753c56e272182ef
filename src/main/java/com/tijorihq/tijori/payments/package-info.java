/**
 * Gateways that send the buyer's browser back to Tijori (Paytm, PayU): their callbacks, checked by checksum and
 * then confirmed with the gateway's status API before anything changes.
 */
package com.tijorihq.tijori.payments;
