package com.fanzfinance.ledger.journal;

/** How far a command must have travelled before its caller hears about it. */
public enum Durability {
    /**
     * On the storage device: the journal file is fdatasync'ed once per batch (group commit) before any
     * command in the batch is applied or acknowledged. Survives a power cut. The default.
     */
    FSYNC,
    /**
     * In the operating system's page cache: written to the memory-mapped journal, not synced. Survives a
     * crash of the process (the kernel still writes the pages), not of the machine or a power cut.
     */
    OS
}
