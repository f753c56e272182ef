/**
 * The PayU India adapter: hosted {@code _payment} form fields signed with SHA-512, the reverse hash of the
 * browser's return, and the {@code postservice} APIs (status, refunds) over a non-blocking {@code WebClient}.
 */
package com.tijorihq.tijori.gateway.payu;
