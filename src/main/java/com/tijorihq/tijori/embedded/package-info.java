/** The embedded MongoDB wire-protocol server that runs when no {@code MONGODB_URI} is configured. */
package com.tijorihq.tijori.embedded;
