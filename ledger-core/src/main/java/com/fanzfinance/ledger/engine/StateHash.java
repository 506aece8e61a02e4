package com.fanzfinance.ledger.engine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import com.fanzfinance.ledger.command.TransferLayout;
import com.fanzfinance.ledger.state.AccountStore;
import com.fanzfinance.ledger.state.FailedTransferIds;
import com.fanzfinance.ledger.state.LedgerState;
import com.fanzfinance.ledger.state.TransferStore;

/**
 * SHA-256 over a canonical form of the ledger's logical state: every account field in slot order,
 * every transfer record in sequence order, every failed id with its owner, the pending statuses by
 * sequence, the metadata (bytes and which object has which), the limits in force, the tenants and their
 * usage, and the last timestamp. Index layouts and the lazily cleaned expiry heap are left out: they are derived.
 * Two runs over the same command stream give the same hash; so do a snapshot plus the journal tail and
 * a full replay.
 */
final class StateHash {
    private static final int CHUNK_BYTES = 64 * 1024;

    private StateHash() {
    }

    static byte[] of(LedgerState state) {
        MessageDigest digest = sha256();
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        hashAccounts(state.accounts(), digest, chunk);
        hashTransfers(state.transfers(), digest, chunk);
        hashFailedIds(state.failedTransferIds(), digest, chunk);
        for (long value : state.pendingTransfers().sortedEntries()) {
            put(value, digest, chunk);
        }
        hashMetadata(state.metadata(), digest, chunk);
        put(state.limits().accountsMax(), digest, chunk);
        put(state.limits().transfersMax(), digest, chunk);
        put(state.limits().tenantAccountsMax(), digest, chunk);
        put(state.limits().tenantTransfersMax(), digest, chunk);
        for (long value : state.tenants().export()) {
            put(value, digest, chunk);
        }
        put(state.lastTimestamp(), digest, chunk);
        flush(digest, chunk);
        return digest.digest();
    }

    private static void hashAccounts(AccountStore accounts, MessageDigest digest, ByteBuffer chunk) {
        put(accounts.count(), digest, chunk);
        for (int slot = 0; slot < accounts.count(); slot++) {
            for (int field = 0; field < AccountStore.FIELDS; field++) {
                put(accounts.get(slot, field), digest, chunk);
            }
        }
    }

    private static void hashTransfers(TransferStore transfers, MessageDigest digest, ByteBuffer chunk) {
        put(transfers.count(), digest, chunk);
        for (long sequence = 0; sequence < transfers.count(); sequence++) {
            for (int offset = 0; offset < TransferLayout.SIZE; offset += Long.BYTES) {
                put(transfers.getLong(sequence, offset), digest, chunk);
            }
        }
    }

    private static void hashFailedIds(FailedTransferIds failed, MessageDigest digest, ByteBuffer chunk) {
        put(failed.count(), digest, chunk);
        for (long ordinal = 0; ordinal < failed.count(); ordinal++) {
            put(failed.idLow(ordinal), digest, chunk);
            put(failed.idHigh(ordinal), digest, chunk);
            put(failed.owner(ordinal), digest, chunk);
        }
    }

    private static void hashMetadata(com.fanzfinance.ledger.state.MetadataStore metadata, MessageDigest digest,
                                     ByteBuffer chunk) {
        put(metadata.length(), digest, chunk);
        for (long value : metadata.accountEntries()) {
            put(value, digest, chunk);
        }
        for (long value : metadata.transferEntries()) {
            put(value, digest, chunk);
        }
        for (long address = 0; address < metadata.length(); address += Long.BYTES) {
            put(metadata.memory().getLong(address), digest, chunk);
        }
    }

    private static void put(long value, MessageDigest digest, ByteBuffer chunk) {
        if (chunk.remaining() < Long.BYTES) {
            flush(digest, chunk);
        }
        chunk.putLong(value);
    }

    private static void flush(MessageDigest digest, ByteBuffer chunk) {
        chunk.flip();
        digest.update(chunk);
        chunk.clear();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
