package com.fanzfinance.server.readmodel;

import java.util.HashMap;
import java.util.Map;

import org.agrona.DirectBuffer;

import com.fanzfinance.ledger.command.Records;
import com.fanzfinance.ledger.command.TransferFlags;
import com.fanzfinance.ledger.command.TransferLayout;
import com.fanzfinance.ledger.command.Uint128;

/**
 * The pending transfers a rebuild has projected and not yet seen resolved, by id: each one's timestamp (the
 * transfers' primary key) and, for a closing one, the accounts it closed. With it a post, void or expiry is
 * projected as an update by timestamp and a void's reopening as updates of the accounts themselves, so the rebuild
 * never looks a transfer up by id while the transfers' id index is deferred ({@link DeferredIndexes}). A rebuild
 * replays the journal from its first command, so every resolved pending transfer was projected before; entries
 * leave as they are resolved, so it holds only the transfers pending at that point of the replay. Used by the
 * replay's thread only.
 */
final class PendingTransfers {
    /** A pending transfer: its timestamp, its flags, and its accounts when it closes them (else null). */
    record Open(long timestamp, int flags, Uint128 debitAccountId, Uint128 creditAccountId) {
    }

    private final Map<Uint128, Open> open = new HashMap<>();

    /** Notes the transfer record at {@code record} if it is pending. */
    void created(DirectBuffer buffer, int record) {
        int flags = buffer.getShort(record + TransferLayout.FLAGS) & 0xFFFF;
        if ((flags & TransferFlags.PENDING) == 0) {
            return;
        }
        boolean closing = (flags & (TransferFlags.CLOSING_DEBIT | TransferFlags.CLOSING_CREDIT)) != 0;
        open.put(Records.id(buffer, record + TransferLayout.ID), new Open(buffer.getLong(record + TransferLayout.TIMESTAMP),
            flags, closing ? Records.id(buffer, record + TransferLayout.DEBIT_ACCOUNT_ID) : null,
            closing ? Records.id(buffer, record + TransferLayout.CREDIT_ACCOUNT_ID) : null));
    }

    /** The pending transfer {@code id}, now posted, voided or expired and forgotten; null if it was never noted. */
    Open resolve(Uint128 id) {
        return open.remove(id);
    }

    /** How many are pending. */
    int size() {
        return open.size();
    }
}
