/** Webhooks: inbound gateway callbacks, verified, stored once, then applied through checkout's state machine. */
package com.tijorihq.tijori.webhooks;
