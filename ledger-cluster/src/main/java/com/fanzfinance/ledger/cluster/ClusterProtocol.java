package com.fanzfinance.ledger.cluster;

/**
 * The messages between a ledger's clients and its clustered service, little-endian.
 *
 * <pre>
 * request:  u64 correlation | u32 command type | u32 event count | u32 tenant count | u32 side data length
 *           | events (128 bytes each; one record for limits and tenants) | tenants (4 bytes each) | side data
 * response: u64 correlation | i32 outcome (a CommandOutcome ordinal, or REFUSED) | u32 results length
 *           | u64 command number | results (16 bytes per event) [ | UTF-8 reason when REFUSED ]
 * </pre>
 *
 * A request becomes a log entry unchanged, so every replica decodes the same bytes.
 */
final class ClusterProtocol {
    static final int CORRELATION = 0;
    static final int TYPE = 8;
    static final int EVENT_COUNT = 12;
    static final int TENANT_COUNT = 16;
    static final int SIDE_DATA_LENGTH = 20;
    static final int REQUEST_HEADER = 24;

    static final int OUTCOME = 8;
    static final int RESULTS_LENGTH = 12;
    static final int COMMAND_NUMBER = 16;
    static final int RESPONSE_HEADER = 24;

    /** The outcome of a request the service could not take (malformed, too large): nothing was applied. */
    static final int REFUSED = -1;

    static final int EVENT_BYTES = 128;
    static final int RESULT_BYTES = 16;

    /**
     * The largest request: a term of the ingress and the log is 16 MiB, so a message may be 2 MiB; a full
     * batch of 8,189 transfers takes 1 MiB of it, the rest is for tenants and metadata.
     */
    static final int REQUEST_BYTES_MAX = (2 << 20) - 1024;
    static final int TERM_LENGTH = 16 << 20;

    private ClusterProtocol() {
    }
}
