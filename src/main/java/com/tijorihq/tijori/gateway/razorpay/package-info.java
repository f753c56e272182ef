/**
 * The Razorpay adapter over razorpay-java: the only package that sees SDK types. Every SDK call runs on a bounded
 * scheduler behind a timeout and a circuit breaker.
 */
package com.tijorihq.tijori.gateway.razorpay;
