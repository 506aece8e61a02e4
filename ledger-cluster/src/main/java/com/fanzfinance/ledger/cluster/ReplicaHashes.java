package com.fanzfinance.ledger.cluster;

import java.util.HexFormat;

/**
 * A replica's fingerprints after {@code appliedCommands} commands: the head of the hash chain over every
 * command it applied, and the SHA-256 of its state.
 */
public record ReplicaHashes(long appliedCommands, byte[] chainHead, byte[] stateHash) {
    public ReplicaHashes {
        chainHead = chainHead.clone();
        stateHash = stateHash.clone();
    }

    public String chainHeadHex() {
        return HexFormat.of().formatHex(chainHead);
    }

    public String stateHashHex() {
        return HexFormat.of().formatHex(stateHash);
    }
}
