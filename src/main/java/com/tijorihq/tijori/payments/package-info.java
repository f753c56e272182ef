/**
 * Browser returns from the gateways' checkouts: checked by the gateway's adapter, then confirmed with the gateway
 * before anything changes.
 */
package com.tijorihq.tijori.payments;
