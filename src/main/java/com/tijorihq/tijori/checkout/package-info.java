/** Checkout: orders, payment attempts, verification and the one payment state machine. */
package com.tijorihq.tijori.checkout;
