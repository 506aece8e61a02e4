/**
 * The matcher and its columnar stores: {@link com.fanzfinance.reconciliation.match.StatementLines} (a
 * {@link com.fanzfinance.reconciliation.LineSink} the importers fill), {@link
 * com.fanzfinance.reconciliation.match.LedgerItems} (the ledger side), {@link
 * com.fanzfinance.reconciliation.match.Tolerances} and {@link com.fanzfinance.reconciliation.match.Matcher}, whose
 * class comment states the rules; the result goes to a {@link com.fanzfinance.reconciliation.match.MatchSink}.
 */
package com.fanzfinance.reconciliation.match;
