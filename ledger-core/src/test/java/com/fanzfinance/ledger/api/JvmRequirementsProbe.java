package com.fanzfinance.ledger.api;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Run by {@link JvmRequirementsTest} in a java of its own, started with or without the flags: runs one
 * check, then uses Agrona as the checked code would, and prints {@code GRANTED}.
 */
public final class JvmRequirementsProbe {
    private JvmRequirementsProbe() {
    }

    public static void main(String[] args) {
        switch (args[0]) {
            case "client" -> JvmRequirements.requireForClient();
            case "in-memory" -> JvmRequirements.requireForInMemoryLedger();
            case "durable" -> JvmRequirements.requireForDurableLedger();
            default -> throw new IllegalArgumentException("unknown check " + args[0]);
        }
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[Long.BYTES]);
        buffer.putLong(0, 42);
        System.out.println("GRANTED " + buffer.getLong(0));
    }
}
