/** The {@link com.tijorihq.tijori.gateway.PaymentGateway} port and gateway-neutral types; adapters live below. */
package com.tijorihq.tijori.gateway;
