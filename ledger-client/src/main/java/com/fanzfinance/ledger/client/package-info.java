/**
 * The Java client of the ledger's HTTP API (docs/api.md).
 *
 * <p>{@link com.fanzfinance.ledger.client.LedgerClient} is the entry point: typed calls over the value
 * types of {@code com.fanzfinance.ledger.command}, automatic batching of single events, and retries that
 * are safe because every event is named by its id. {@link com.fanzfinance.ledger.client.NewAccount},
 * {@link com.fanzfinance.ledger.client.NewTransfer} and {@link com.fanzfinance.ledger.client.NewEntry}
 * carry what the API adds to an event (tenant, metadata); {@link com.fanzfinance.ledger.client.AccountDetails}
 * and {@link com.fanzfinance.ledger.client.TransferDetails} what it adds to a lookup. A request refused
 * as a whole is a {@link com.fanzfinance.ledger.client.LedgerProblemException}; a call that passed its
 * call timeout, a {@link com.fanzfinance.ledger.client.LedgerTimeoutException}.
 *
 * <p>{@link com.fanzfinance.ledger.client.WireFormat} holds the JSON names, shared with the server.
 * Everything else here is package-private: the JSON and binary codecs, the retrying transport, the
 * batcher and the call deadlines.
 */
package com.fanzfinance.ledger.client;
