/** Reconciliation: Tijori's books against each gateway's truth, under {@code /api/admin/reconciliation}. */
package com.tijorihq.tijori.reconciliation;
