package com.fanzfinance.ledger.journal;

/** What checking one journal batch found. */
public enum BatchCheck {
    VALID,
    /** Too short for its header, or its lengths run past the excerpt: a write cut off part way. */
    TRUNCATED,
    BAD_MAGIC,
    UNSUPPORTED_VERSION,
    /** The batch number or first command number does not follow the previous batch. */
    OUT_OF_SEQUENCE,
    /** The bytes do not match their CRC: torn or corrupted. */
    CRC_MISMATCH,
    /** The bytes are intact but the chain hash does not follow from the previous batch: changed or reordered. */
    CHAIN_MISMATCH,
    /** A command inside the batch is malformed (unknown type, lengths that do not add up). */
    MALFORMED_COMMAND
}
