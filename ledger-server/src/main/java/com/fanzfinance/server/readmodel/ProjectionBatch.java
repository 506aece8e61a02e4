package com.fanzfinance.server.readmodel;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.agrona.DirectBuffer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import com.fanzfinance.ledger.command.AccountFlags;
import com.fanzfinance.ledger.command.AccountLayout;
import com.fanzfinance.ledger.command.OutcomeExcerpt;
import com.fanzfinance.ledger.command.OutcomeLayout;
import com.fanzfinance.ledger.command.PendingStatus;
import com.fanzfinance.ledger.command.SideData;
import com.fanzfinance.ledger.command.TransferFlags;
import com.fanzfinance.ledger.command.TransferLayout;

/**
 * The rows of a run of outcome excerpts, written to the read model in one transaction together with the
 * position they reach — so a crash anywhere leaves the database either before or after the whole run,
 * and the projector resumes exactly after what was committed.
 *
 * <p>New accounts, transfers and postings go in with COPY; the few changes to existing rows (a pending
 * transfer posted, voided or expired; an account closed or reopened by a closing transfer) follow as
 * batched updates, after the COPY, so they also find rows created in the same run.
 */
final class ProjectionBatch {
    static final String PROJECTOR = "main";
    private static final String COPY_ACCOUNTS = "COPY accounts (id, ledger, code, flags, user_data_128, user_data_64,"
        + " user_data_32, tenant, timestamp, metadata) FROM STDIN (FORMAT binary)";
    private static final String COPY_TRANSFERS = "COPY transfers (timestamp, id, debit_account_id, credit_account_id,"
        + " amount, pending_id, user_data_128, user_data_64, user_data_32, timeout, ledger, code, flags, pending_status,"
        + " command_number, metadata) FROM STDIN (FORMAT binary)";
    private static final String COPY_POSTINGS = "COPY postings (account_id, timestamp, transfer_timestamp, kind, amount,"
        + " debits_pending, debits_posted, credits_pending, credits_posted) FROM STDIN (FORMAT binary)";
    private static final String SET_PENDING_STATUS_BY_ID = "UPDATE transfers SET pending_status = ? WHERE id = ?::uuid";
    private static final String SET_PENDING_STATUS_BY_TIMESTAMP = "UPDATE transfers SET pending_status = ? WHERE timestamp = ?";
    private static final String CLOSE_ACCOUNT = "UPDATE accounts SET flags = flags | " + AccountFlags.CLOSED
        + " WHERE id = ?::uuid";
    private static final String REOPEN_ACCOUNT = "UPDATE accounts SET flags = flags & ~" + AccountFlags.CLOSED
        + " WHERE id = ?::uuid";
    /** A void of a closing transfer reopens the account(s) it closed; the pending transfer's flags say which. */
    private static final String REOPEN_AFTER_VOID = "UPDATE accounts a SET flags = a.flags & ~" + AccountFlags.CLOSED
        + " FROM transfers p WHERE p.id = ?::uuid AND ((p.flags & " + TransferFlags.CLOSING_DEBIT
        + " <> 0 AND a.id = p.debit_account_id) OR (p.flags & " + TransferFlags.CLOSING_CREDIT
        + " <> 0 AND a.id = p.credit_account_id))";
    /** The same, finding the pending transfer by its timestamp (a rebuild, whose id index is built at the end). */
    private static final String REOPEN_AFTER_VOID_BY_TIMESTAMP = "UPDATE accounts a SET flags = a.flags & ~"
        + AccountFlags.CLOSED + " FROM transfers p WHERE p.timestamp = ? AND ((p.flags & " + TransferFlags.CLOSING_DEBIT
        + " <> 0 AND a.id = p.debit_account_id) OR (p.flags & " + TransferFlags.CLOSING_CREDIT
        + " <> 0 AND a.id = p.credit_account_id))";
    private static final String SAVE_POSITION = "INSERT INTO projection_position (projector, command_number, queue_index,"
        + " command_timestamp, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (projector) DO UPDATE SET"
        + " command_number = EXCLUDED.command_number, queue_index = EXCLUDED.queue_index,"
        + " command_timestamp = EXCLUDED.command_timestamp, updated_at = EXCLUDED.updated_at"
        + " WHERE projection_position.command_number = ?";

    /** A pending transfer whose status changed: by id (a live post or void) or by timestamp (an expiry; a rebuild's post or void). */
    private record StatusChange(String pendingId, long timestamp, PendingStatus status) {
    }

    /**
     * A closed flag to set or clear, in the order the ledger did it: the statement and the account's or pending
     * transfer's id, or (id null) the pending transfer's timestamp.
     */
    private record FlagChange(String sql, String id, long timestamp) {
        FlagChange(String sql, String id) {
            this(sql, id, 0);
        }
    }

    /** Where a postings row's account id starts: after the row's field count (2 bytes) and the field's length (4). */
    private static final int POSTING_ACCOUNT_ID = 6;

    private final boolean postingsInKeyOrder;
    /** A rebuild's outstanding pending transfers (shared by its runs, filled on one thread), or null live. */
    private final PendingTimestamps pendings;
    private final CopyBuffer accounts = new CopyBuffer(10);
    private final CopyBuffer transfers = new CopyBuffer(16);
    private final CopyBuffer postings = new CopyBuffer(9);
    private final List<StatusChange> statusChanges = new ArrayList<>();
    private final List<FlagChange> flagChanges = new ArrayList<>();
    private final byte[][] metadataByEvent = new byte[com.fanzfinance.ledger.config.StateMachineConfig.BATCH_EVENTS_MAX][];
    private int outcomes;
    private int excerpts;
    private long lastCommand = -1;
    private long lastQueueIndex = -1;
    private long lastTimestamp;

    /**
     * @param postingsInKeyOrder send the postings sorted by account (the leading column of their primary key): a
     *                           run's rows then fill the key's B-tree one leaf after the next instead of one random
     *                           leaf per row (a 1 M-transfer run's postings took 3.9–4.6 s instead of 6.4–6.9 s to
     *                           COPY on this project's test machine). A rebuild, which builds that key at the end,
     *                           has nothing to gain.
     */
    ProjectionBatch(boolean postingsInKeyOrder) {
        this(postingsInKeyOrder, null);
    }

    /**
     * @param pendings where a rebuild keeps its outstanding pending transfers' timestamps, so that posts and voids
     *                 update the pending row by its timestamp (the transfers' id index is then not needed until the
     *                 end); null to update by id, as the live projector does
     */
    ProjectionBatch(boolean postingsInKeyOrder, PendingTimestamps pendings) {
        this.postingsInKeyOrder = postingsInKeyOrder;
        this.pendings = pendings;
    }

    void clear() {
        accounts.clear();
        transfers.clear();
        postings.clear();
        statusChanges.clear();
        flagChanges.clear();
        outcomes = 0;
        excerpts = 0;
    }

    int outcomes() {
        return outcomes;
    }

    int excerpts() {
        return excerpts;
    }

    /** Accounts created in this run. */
    int accountRows() {
        return accounts.rows();
    }

    /** Transfers recorded in this run. */
    int transferRows() {
        return transfers.rows();
    }

    long lastCommand() {
        return lastCommand;
    }

    long lastQueueIndex() {
        return lastQueueIndex;
    }

    long lastTimestamp() {
        return lastTimestamp;
    }

    /** Adds the rows of one command's outcomes; {@code queueIndex} is its excerpt's index (-1 if unknown). */
    void add(OutcomeExcerpt excerpt, long queueIndex) {
        int count = excerpt.outcomeCount();
        boolean hasMetadata = excerpt.sideDataLength() > 0;
        if (hasMetadata) {
            SideData.forEach(excerpt.buffer(), excerpt.sideDataOffset(), excerpt.sideDataLength(),
                (event, buffer, offset, length) -> {
                    byte[] bytes = new byte[length];
                    buffer.getBytes(offset, bytes);
                    metadataByEvent[event] = bytes;
                });
        }
        for (int i = 0; i < count; i++) {
            byte[] metadata = hasMetadata && excerpt.eventIndex(i) != OutcomeLayout.NO_EVENT
                ? metadataByEvent[excerpt.eventIndex(i)] : null;
            switch (excerpt.kind(i)) {
                case OutcomeLayout.ACCOUNT_CREATED -> addAccount(excerpt, i, metadata);
                case OutcomeLayout.TRANSFER_CREATED -> addTransfer(excerpt, i, excerpt.commandNumber(), metadata);
                case OutcomeLayout.PENDING_EXPIRED -> addExpiry(excerpt, i);
                default -> throw new IllegalStateException("unknown outcome kind " + excerpt.kind(i) + " in command "
                    + excerpt.commandNumber());
            }
        }
        if (hasMetadata) {
            java.util.Arrays.fill(metadataByEvent, null);
        }
        outcomes += count;
        excerpts++;
        lastCommand = excerpt.commandNumber();
        lastQueueIndex = queueIndex;
        lastTimestamp = excerpt.commandTimestamp();
    }

    private void addAccount(OutcomeExcerpt excerpt, int outcome, byte[] metadata) {
        DirectBuffer buffer = excerpt.buffer();
        int record = excerpt.recordOffset(outcome);
        accounts.row().uuid(buffer, record + AccountLayout.ID)
            .int4(buffer.getInt(record + AccountLayout.LEDGER))
            .int4(buffer.getShort(record + AccountLayout.CODE) & 0xFFFF)
            .int4(buffer.getShort(record + AccountLayout.FLAGS) & 0xFFFF)
            .uuid(buffer, record + AccountLayout.USER_DATA_128)
            .int8(buffer.getLong(record + AccountLayout.USER_DATA_64))
            .int8(buffer.getInt(record + AccountLayout.USER_DATA_32) & 0xFFFF_FFFFL)
            .int4(excerpt.tenant(outcome))
            .int8(buffer.getLong(record + AccountLayout.TIMESTAMP))
            .jsonb(metadata);
    }

    private void addTransfer(OutcomeExcerpt excerpt, int outcome, long commandNumber, byte[] metadata) {
        DirectBuffer buffer = excerpt.buffer();
        int record = excerpt.recordOffset(outcome);
        long timestamp = buffer.getLong(record + TransferLayout.TIMESTAMP);
        long amount = buffer.getLong(record + TransferLayout.AMOUNT);
        int flags = buffer.getShort(record + TransferLayout.FLAGS) & 0xFFFF;
        transfers.row().int8(timestamp)
            .uuid(buffer, record + TransferLayout.ID)
            .uuid(buffer, record + TransferLayout.DEBIT_ACCOUNT_ID)
            .uuid(buffer, record + TransferLayout.CREDIT_ACCOUNT_ID)
            .int8(amount)
            .uuid(buffer, record + TransferLayout.PENDING_ID)
            .uuid(buffer, record + TransferLayout.USER_DATA_128)
            .int8(buffer.getLong(record + TransferLayout.USER_DATA_64))
            .int8(buffer.getInt(record + TransferLayout.USER_DATA_32) & 0xFFFF_FFFFL)
            .int8(buffer.getInt(record + TransferLayout.TIMEOUT) & 0xFFFF_FFFFL)
            .int4(buffer.getInt(record + TransferLayout.LEDGER))
            .int4(buffer.getShort(record + TransferLayout.CODE) & 0xFFFF)
            .int4(flags)
            .int2(excerpt.pendingStatus(outcome).code())
            .int8(commandNumber)
            .jsonb(metadata);
        posting(buffer, record + TransferLayout.DEBIT_ACCOUNT_ID, timestamp, timestamp, 1, amount,
            excerpt.debitBalancesOffset(outcome));
        posting(buffer, record + TransferLayout.CREDIT_ACCOUNT_ID, timestamp, timestamp, 2, amount,
            excerpt.creditBalancesOffset(outcome));
        if (pendings != null && (flags & TransferFlags.PENDING) != 0) {
            pendings.put(buffer.getLong(record + TransferLayout.ID), buffer.getLong(record + TransferLayout.ID + 8),
                timestamp);
        }
        if ((flags & (TransferFlags.POST_PENDING_TRANSFER | TransferFlags.VOID_PENDING_TRANSFER)) != 0) {
            boolean post = (flags & TransferFlags.POST_PENDING_TRANSFER) != 0;
            PendingStatus status = post ? PendingStatus.POSTED : PendingStatus.VOIDED;
            if (pendings != null) {
                long pendingTimestamp = pendings.remove(buffer.getLong(record + TransferLayout.PENDING_ID),
                    buffer.getLong(record + TransferLayout.PENDING_ID + 8));
                if (pendingTimestamp < 0) {
                    // A rebuild replays from the first command, so it has seen every pending transfer before its post
                    // or void; a miss is a bug, and updating by id instead would scan the whole table (its id index
                    // is off).
                    throw new IllegalStateException("the rebuild does not know the pending transfer "
                        + uuidText(buffer, record + TransferLayout.PENDING_ID) + " that transfer "
                        + uuidText(buffer, record + TransferLayout.ID) + " resolves");
                }
                statusChanges.add(new StatusChange(null, pendingTimestamp, status));
                if (!post) {
                    flagChanges.add(new FlagChange(REOPEN_AFTER_VOID_BY_TIMESTAMP, null, pendingTimestamp));
                }
            } else {
                String pendingId = uuidText(buffer, record + TransferLayout.PENDING_ID);
                statusChanges.add(new StatusChange(pendingId, 0, status));
                if (!post) {
                    flagChanges.add(new FlagChange(REOPEN_AFTER_VOID, pendingId));
                }
            }
        }
        if ((flags & TransferFlags.CLOSING_DEBIT) != 0) {
            flagChanges.add(new FlagChange(CLOSE_ACCOUNT, uuidText(buffer, record + TransferLayout.DEBIT_ACCOUNT_ID)));
        }
        if ((flags & TransferFlags.CLOSING_CREDIT) != 0) {
            flagChanges.add(new FlagChange(CLOSE_ACCOUNT, uuidText(buffer, record + TransferLayout.CREDIT_ACCOUNT_ID)));
        }
    }

    /** An expiry releases the pending amounts of both accounts and may reopen accounts a closing transfer closed. */
    private void addExpiry(OutcomeExcerpt excerpt, int outcome) {
        DirectBuffer buffer = excerpt.buffer();
        int record = excerpt.recordOffset(outcome);
        long transferTimestamp = buffer.getLong(record + TransferLayout.TIMESTAMP);
        long amount = buffer.getLong(record + TransferLayout.AMOUNT);
        long when = excerpt.when(outcome);
        posting(buffer, record + TransferLayout.DEBIT_ACCOUNT_ID, when, transferTimestamp, 3, amount,
            excerpt.debitBalancesOffset(outcome));
        posting(buffer, record + TransferLayout.CREDIT_ACCOUNT_ID, when, transferTimestamp, 4, amount,
            excerpt.creditBalancesOffset(outcome));
        statusChanges.add(new StatusChange(null, transferTimestamp, PendingStatus.EXPIRED));
        if (pendings != null) {
            pendings.remove(buffer.getLong(record + TransferLayout.ID), buffer.getLong(record + TransferLayout.ID + 8));
        }
        int flags = buffer.getShort(record + TransferLayout.FLAGS) & 0xFFFF;
        if ((flags & TransferFlags.CLOSING_DEBIT) != 0) {
            flagChanges.add(new FlagChange(REOPEN_ACCOUNT, uuidText(buffer, record + TransferLayout.DEBIT_ACCOUNT_ID)));
        }
        if ((flags & TransferFlags.CLOSING_CREDIT) != 0) {
            flagChanges.add(new FlagChange(REOPEN_ACCOUNT, uuidText(buffer, record + TransferLayout.CREDIT_ACCOUNT_ID)));
        }
    }

    private void posting(DirectBuffer buffer, int accountIdOffset, long timestamp, long transferTimestamp, int kind,
                         long amount, int balancesOffset) {
        postings.row().uuid(buffer, accountIdOffset)
            .int8(timestamp)
            .int8(transferTimestamp)
            .int2(kind)
            .int8(amount)
            .int8(buffer.getLong(balancesOffset))
            .int8(buffer.getLong(balancesOffset + 8))
            .int8(buffer.getLong(balancesOffset + 16))
            .int8(buffer.getLong(balancesOffset + 24));
    }

    /** The 128-bit value stored little-endian at {@code offset}, as the UUID text the update statements bind. */
    private static String uuidText(DirectBuffer buffer, int offset) {
        return new java.util.UUID(buffer.getLong(offset + 8), buffer.getLong(offset)).toString();
    }

    /**
     * Writes the new rows, in the connection's current transaction. They are inserts only, and nothing checks them
     * against an earlier run's rows (the schema has no foreign keys; their keys are new), so they can be copied while
     * an earlier run's transaction is still open on another connection ({@link ProjectionWriters});
     * {@link #writeChanges} follows once that one has committed.
     */
    void copyRows(Connection connection) throws SQLException, IOException {
        CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
        if (accounts.rows() > 0) {
            copy.copyIn(COPY_ACCOUNTS, accounts.stream());
        }
        if (transfers.rows() > 0) {
            copy.copyIn(COPY_TRANSFERS, transfers.stream());
        }
        if (postings.rows() > 0) {
            if (postingsInKeyOrder) {
                postings.sortRows(POSTING_ACCOUNT_ID);
            }
            copy.copyIn(COPY_POSTINGS, postings.stream());
        }
    }

    /**
     * Writes the changes to rows written before (by this run, or an earlier one that has committed) and the
     * position after this run, in the connection's current transaction, after {@link #copyRows}. The position
     * replaces only {@code previousCommand}'s (-1: there is none yet); if the read model stands elsewhere, another
     * projector has written it, and this throws.
     */
    void writeChanges(Connection connection, long previousCommand) throws SQLException {
        writeStatusChanges(connection);
        writeFlagChanges(connection);
        savePosition(connection, previousCommand);
    }

    private void writeStatusChanges(Connection connection) throws SQLException {
        if (statusChanges.isEmpty()) {
            return;
        }
        try (PreparedStatement byId = connection.prepareStatement(SET_PENDING_STATUS_BY_ID);
             PreparedStatement byTimestamp = connection.prepareStatement(SET_PENDING_STATUS_BY_TIMESTAMP)) {
            for (StatusChange change : statusChanges) {
                PreparedStatement statement = change.pendingId() != null ? byId : byTimestamp;
                statement.setShort(1, (short) change.status().code());
                if (change.pendingId() != null) {
                    statement.setString(2, change.pendingId());
                } else {
                    statement.setLong(2, change.timestamp());
                }
                statement.addBatch();
            }
            byId.executeBatch();
            byTimestamp.executeBatch();
        }
    }

    /** Closing transfers are rare; their flag changes run one by one, in order, so the last one wins as in the ledger. */
    private void writeFlagChanges(Connection connection) throws SQLException {
        for (FlagChange change : flagChanges) {
            try (PreparedStatement statement = connection.prepareStatement(change.sql())) {
                if (change.id() != null) {
                    statement.setString(1, change.id());
                } else {
                    statement.setLong(1, change.timestamp());
                }
                statement.executeUpdate();
            }
        }
    }

    private void savePosition(Connection connection, long previousCommand) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SAVE_POSITION)) {
            statement.setString(1, PROJECTOR);
            statement.setLong(2, lastCommand);
            statement.setLong(3, lastQueueIndex);
            statement.setLong(4, lastTimestamp);
            statement.setObject(5, OffsetDateTime.now(ZoneOffset.UTC));
            statement.setLong(6, previousCommand);
            if (statement.executeUpdate() != 1) {
                throw new SQLException("the read model's position is no longer at command " + previousCommand
                    + ": another projector has written it; starting again from where it stands");
            }
        }
    }
}
