/** The OpenAPI description of the HTTP contract, served at {@code /v3/api-docs} with Swagger UI. */
package com.tijorihq.tijori.apidocs;
