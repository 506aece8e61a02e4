package com.fanzfinance.ledger.command;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;


/**
 * Turns journal entries into linked chains of transfers and their results back into entry results.
 *
 * <p>Debits are matched to credits greedily in posting order, so an entry of n postings becomes at most
 * n-1 transfers, all on the entry's ledger and code, linked so that they commit or fail together. The
 * first leg's id is the entry's id; leg k's id is the first 16 bytes of SHA-256(entry id, k), so
 * resubmitting an entry is idempotent ({@code exists}). Every leg carries the entry id in
 * {@code user_data_128}, which groups the legs for queries and reports.
 */
public final class JournalEntries {
    private final List<Transfer> transfers = new ArrayList<>();
    private final List<int[]> legsOfEntry = new ArrayList<>();
    private final List<int[]> postingsOfLeg = new ArrayList<>();
    private final List<JournalEntry> entries;

    private JournalEntries(List<JournalEntry> entries) {
        this.entries = entries;
        for (JournalEntry entry : entries) {
            int first = transfers.size();
            expand(entry);
            legsOfEntry.add(new int[] {first, transfers.size()});
        }
    }

    public static JournalEntries expand(List<JournalEntry> entries) {
        return new JournalEntries(List.copyOf(entries));
    }

    /** The transfers to submit, in one batch, in this order. */
    public List<Transfer> transfers() {
        return transfers;
    }

    /** The index of the first transfer of entry {@code entry}. */
    public int firstLegOf(int entry) {
        return legsOfEntry.get(entry)[0];
    }

    /** The index of the entry that transfer {@code leg} belongs to. */
    public int entryOfLeg(int leg) {
        for (int e = 0; e < legsOfEntry.size(); e++) {
            if (leg < legsOfEntry.get(e)[1]) {
                return e;
            }
        }
        throw new IndexOutOfBoundsException("no leg " + leg);
    }

    /** Maps the transfer results (one per transfer, in order) to one result per entry. */
    public List<JournalEntryResult> results(List<CreateResult<CreateTransferStatus>> legResults) {
        if (legResults.size() != transfers.size()) {
            throw new IllegalArgumentException("expected " + transfers.size() + " results, got " + legResults.size());
        }
        List<JournalEntryResult> results = new ArrayList<>(entries.size());
        for (int e = 0; e < entries.size(); e++) {
            results.add(resultOf(e, legResults));
        }
        return results;
    }

    /** The id of leg {@code leg} of the entry with id {@code entryId}. */
    public static Uint128 legId(Uint128 entryId, int leg) {
        if (leg == 0) {
            return entryId;
        }
        byte[] hash = sha256().digest(ByteBuffer.allocate(20).putLong(entryId.high()).putLong(entryId.low()).putInt(leg)
            .array());
        ByteBuffer digest = ByteBuffer.wrap(hash);
        return new Uint128(digest.getLong(), digest.getLong());
    }

    private JournalEntryResult resultOf(int entryIndex, List<CreateResult<CreateTransferStatus>> legResults) {
        JournalEntry entry = entries.get(entryIndex);
        int[] legs = legsOfEntry.get(entryIndex);
        for (int leg = legs[0]; leg < legs[1]; leg++) {
            CreateResult<CreateTransferStatus> result = legResults.get(leg);
            CreateTransferStatus status = result.status();
            if (status != CreateTransferStatus.CREATED && status != CreateTransferStatus.LINKED_EVENT_FAILED) {
                return new JournalEntryResult(entryIndex, entry.id(), status, result.timestamp(),
                    status == CreateTransferStatus.EXISTS ? -1 : postingAtFault(leg, status));
            }
        }
        long timestamp = legResults.get(legs[1] - 1).timestamp();
        return new JournalEntryResult(entryIndex, entry.id(), CreateTransferStatus.CREATED, timestamp, -1);
    }

    /** The credit posting for statuses about the credit side, otherwise the debit posting. */
    private int postingAtFault(int leg, CreateTransferStatus status) {
        int[] postings = postingsOfLeg.get(leg);
        String name = status.wireName();
        boolean creditSide = name.contains("credit_account") || name.equals("exceeds_debits")
            || name.startsWith("overflows_credits");
        return creditSide ? postings[1] : postings[0];
    }

    private void expand(JournalEntry entry) {
        List<Posting> postings = entry.postings();
        int debit = nextSide(postings, -1, true);
        int credit = nextSide(postings, -1, false);
        long debitLeft = postings.get(debit).amount();
        long creditLeft = postings.get(credit).amount();
        int leg = 0;
        int firstLeg = transfers.size();
        while (debit >= 0 && credit >= 0) {
            long amount = Math.min(debitLeft, creditLeft);
            transfers.add(leg(entry, leg++, postings.get(debit).accountId(), postings.get(credit).accountId(), amount));
            postingsOfLeg.add(new int[] {debit, credit});
            debitLeft -= amount;
            creditLeft -= amount;
            if (debitLeft == 0) {
                debit = nextSide(postings, debit, true);
                debitLeft = debit < 0 ? 0 : postings.get(debit).amount();
            }
            if (creditLeft == 0) {
                credit = nextSide(postings, credit, false);
                creditLeft = credit < 0 ? 0 : postings.get(credit).amount();
            }
        }
        int last = transfers.size() - 1;
        transfers.set(last, transfers.get(last).withFlags(transfers.get(last).flags() & ~TransferFlags.LINKED));
        assert last >= firstLeg;
    }

    private static Transfer leg(JournalEntry entry, int leg, Uint128 debitAccount, Uint128 creditAccount, long amount) {
        int flags = TransferFlags.LINKED | (entry.pending() ? TransferFlags.PENDING : 0);
        return new Transfer(legId(entry.id(), leg), debitAccount, creditAccount, amount, Uint128.ZERO, entry.id(), 0, 0,
            entry.timeoutSeconds(), entry.ledger(), entry.code(), flags, 0, PendingStatus.NONE);
    }

    private static int nextSide(List<Posting> postings, int after, boolean debit) {
        for (int i = after + 1; i < postings.size(); i++) {
            if (postings.get(i).debit() == debit) {
                return i;
            }
        }
        return -1;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
