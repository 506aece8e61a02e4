/**
 * Reconciliation: streaming statement importers and the matcher. Nothing here talks to the ledger or a
 * database; the server loads ledger items into a {@code LedgerItems} store, streams a file through an importer
 * into a {@code StatementLines} store and runs the matcher between the two.
 */
package com.fanzfinance.reconciliation;
