package com.fanzfinance.ledger.api;

import java.util.ArrayList;
import java.util.List;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.CreateAccountStatus;
import com.fanzfinance.ledger.command.CreateResult;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.Records;
import com.fanzfinance.ledger.command.ResultLayout;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.engine.CommandOutcome;

/** Encoding typed batches into 128-byte records and decoding the 16-byte results, for the embedding APIs. */
final class Batches {
    private Batches() {
    }

    static void requireBatchSize(int size) {
        if (size > Ledger.BATCH_EVENTS_MAX) {
            throw new IllegalArgumentException("a batch holds at most " + Ledger.BATCH_EVENTS_MAX + " events, got " + size);
        }
    }

    static void encodeAccounts(List<Account> accounts, MutableDirectBuffer records, MutableDirectBuffer tenants) {
        for (int i = 0; i < accounts.size(); i++) {
            Records.encode(accounts.get(i), records, i * 128);
            tenants.putInt(i * Integer.BYTES, accounts.get(i).tenant());
        }
    }

    static void encodeTransfers(List<Transfer> transfers, MutableDirectBuffer records) {
        for (int i = 0; i < transfers.size(); i++) {
            Records.encode(transfers.get(i), records, i * 128);
        }
    }

    static List<CreateResult<CreateAccountStatus>> accountResults(DirectBuffer results, int count) {
        List<CreateResult<CreateAccountStatus>> decoded = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            decoded.add(new CreateResult<>(i, CreateAccountStatus.ofCode(status(results, i)), timestamp(results, i)));
        }
        return decoded;
    }

    static List<CreateResult<CreateTransferStatus>> transferResults(DirectBuffer results, int count) {
        List<CreateResult<CreateTransferStatus>> decoded = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            decoded.add(new CreateResult<>(i, CreateTransferStatus.ofCode(status(results, i)), timestamp(results, i)));
        }
        return decoded;
    }

    static void requireApplied(CommandOutcome outcome) {
        if (outcome == CommandOutcome.LEDGER_FULL) {
            throw new LedgerFullException("the ledger is at its configured capacity; nothing was applied");
        }
    }

    private static long status(DirectBuffer results, int index) {
        return results.getInt(index * ResultLayout.SIZE + ResultLayout.STATUS) & 0xFFFF_FFFFL;
    }

    private static long timestamp(DirectBuffer results, int index) {
        return results.getLong(index * ResultLayout.SIZE + ResultLayout.TIMESTAMP);
    }
}
