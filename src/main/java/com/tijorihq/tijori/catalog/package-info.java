/** Catalog: products and prices under {@code /api/products}; admin-only writes. */
package com.tijorihq.tijori.catalog;
