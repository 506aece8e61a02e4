package com.fanzfinance.server.readmodel;

import static com.fanzfinance.server.readmodel.schema.Tables.ACCOUNTS;
import static com.fanzfinance.server.readmodel.schema.Tables.POSTINGS;
import static com.fanzfinance.server.readmodel.schema.Tables.PROJECTION_POSITION;
import static com.fanzfinance.server.readmodel.schema.Tables.TRANSFERS;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import org.jooq.Condition;
import org.jooq.Cursor;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.Record4;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.impl.DSL;

import com.fanzfinance.server.readmodel.schema.tables.Accounts;
import com.fanzfinance.server.readmodel.schema.tables.Postings;

/**
 * The read model's queries, all run inside one read-only REPEATABLE READ transaction per report, so a
 * report and the position it states come from the same snapshot even while the projector commits.
 * Large results are streamed from a server-side cursor, never loaded whole.
 */
public final class ReadModelQueries {
    /** Rows fetched per round trip while streaming. */
    static final int FETCH_SIZE = 5_000;
    /** How long after its time box PostgreSQL ends a reader's session that has been idle in its transaction. */
    private static final long IDLE_BACKSTOP_MILLIS = 10_000;

    private final DSLContext dsl;

    private ReadModelQueries(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** What a report covers: one ledger or all (null), some tenants or all (null). */
    public record Scope(Integer ledger, Set<Integer> tenants) {
        Condition on(Accounts accounts) {
            Condition condition = DSL.noCondition();
            if (ledger != null) {
                condition = condition.and(accounts.LEDGER.eq(ledger));
            }
            if (tenants != null) {
                condition = condition.and(accounts.TENANT.in(tenants));
            }
            return condition;
        }
    }

    /** An account's four balances (minor units). */
    public record Balances(long debitsPending, long debitsPosted, long creditsPending, long creditsPosted) {
        public static final Balances ZERO = new Balances(0, 0, 0, 0);

        /** Posted debits minus posted credits (never overflows: both are 0..2^63-1). */
        public long postedNet() {
            return debitsPosted - creditsPosted;
        }
    }

    public record AccountRow(UUID id, int ledger, int code, int flags, int tenant, long timestamp) {
    }

    public record AccountBalance(AccountRow account, Balances balances) {
    }

    /** One change of an account's balances, with the transfer that caused it. */
    public record StatementLine(long timestamp, long transferTimestamp, int kind, long amount, Balances after,
                                UUID transferId, UUID counterparty, int code, int flags, int pendingStatus,
                                UUID userData128) {
    }

    /**
     * Where a page of a statement starts: the posting at {@code timestamp} of the transfer at {@code
     * transferTimestamp} (postings of one account are ordered by both, and the pair is unique).
     */
    public record StatementPosition(long timestamp, long transferTimestamp) {
    }

    /** A transfer with both accounts' classification, for journal exports. */
    public record JournalLine(long timestamp, UUID id, int ledger, int code, int flags, int pendingStatus, long amount,
                              UUID pendingId, UUID userData128, long userData64, long userData32,
                              AccountRow debit, AccountRow credit) {
    }

    /**
     * Runs {@code work} in a read-only, repeatable-read transaction (one consistent snapshot). PostgreSQL
     * cancels any statement that runs longer than {@code timeoutMillis}; and should the server fail to cut
     * off a request at its time box, PostgreSQL itself ends a session left idle in the transaction (a
     * client that stopped reading a stream) a little later.
     */
    public static <T> T read(javax.sql.DataSource dataSource, long timeoutMillis, Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setReadOnly(true);
            try {
                DSLContext tx = DSL.using(connection, SQLDialect.POSTGRES);
                tx.execute("SET LOCAL statement_timeout = " + timeoutMillis);
                tx.execute("SET LOCAL idle_in_transaction_session_timeout = " + (timeoutMillis + IDLE_BACKSTOP_MILLIS));
                T result = work.run(new ReadModelQueries(tx));
                connection.commit();
                return result;
            } catch (RuntimeException | Error e) {
                rollbackQuietly(connection);
                throw e;
            }
        } catch (SQLException e) {
            throw new ReadModelUnavailableException("read model query failed: " + e.getMessage(), e);
        }
    }

    /** A rollback on a connection the server has already ended (time box) must not hide the first failure. */
    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // the session is gone; the pool drops the connection
        }
    }

    /** A unit of read work. */
    public interface Work<T> {
        T run(ReadModelQueries queries);
    }

    /** The projector's committed position in this snapshot. */
    public Projector.Position position() {
        Record record = dsl.select(PROJECTION_POSITION.COMMAND_NUMBER, PROJECTION_POSITION.QUEUE_INDEX,
                PROJECTION_POSITION.COMMAND_TIMESTAMP)
            .from(PROJECTION_POSITION).where(PROJECTION_POSITION.PROJECTOR.eq(ProjectionBatch.PROJECTOR)).fetchOne();
        return record == null ? Projector.Position.START
            : new Projector.Position(record.get(PROJECTION_POSITION.COMMAND_NUMBER),
                record.get(PROJECTION_POSITION.QUEUE_INDEX), record.get(PROJECTION_POSITION.COMMAND_TIMESTAMP));
    }

    public AccountRow account(UUID id) {
        Record record = dsl.select(accountFields(ACCOUNTS)).from(ACCOUNTS).where(ACCOUNTS.ID.eq(id)).fetchOne();
        return record == null ? null : accountRow(record, ACCOUNTS);
    }

    /**
     * Every account in {@code scope} created at or before {@code at} that has balances by then, with its
     * balances right after the last change at or before {@code at}, in ledger, code, id order.
     * One index probe per account (a lateral "latest posting" lookup), streamed.
     */
    public void balancesAt(Scope scope, long at, Consumer<AccountBalance> sink) {
        Postings p = POSTINGS.as("p");
        Table<Record4<Long, Long, Long, Long>> latest = DSL.lateral(
            DSL.select(p.DEBITS_PENDING, p.DEBITS_POSTED, p.CREDITS_PENDING, p.CREDITS_POSTED)
                .from(p)
                .where(p.ACCOUNT_ID.eq(ACCOUNTS.ID).and(p.TIMESTAMP.le(at)))
                .orderBy(p.TIMESTAMP.desc(), p.TRANSFER_TIMESTAMP.desc())
                .limit(1)).as("b");
        List<org.jooq.SelectField<?>> fields = new ArrayList<>(accountFields(ACCOUNTS));
        fields.addAll(List.of(latest.field(p.DEBITS_PENDING), latest.field(p.DEBITS_POSTED),
            latest.field(p.CREDITS_PENDING), latest.field(p.CREDITS_POSTED)));
        try (Cursor<Record> rows = dsl.select(fields).from(ACCOUNTS).crossJoin(latest)
            .where(scope.on(ACCOUNTS)).and(ACCOUNTS.TIMESTAMP.le(at))
            .orderBy(ACCOUNTS.LEDGER, ACCOUNTS.CODE, ACCOUNTS.ID)
            .fetchSize(FETCH_SIZE).fetchLazy()) {
            for (Record row : rows) {
                sink.accept(new AccountBalance(accountRow(row, ACCOUNTS), new Balances(
                    row.get(latest.field(p.DEBITS_PENDING)), row.get(latest.field(p.DEBITS_POSTED)),
                    row.get(latest.field(p.CREDITS_PENDING)), row.get(latest.field(p.CREDITS_POSTED)))));
            }
        }
    }

    /** The account's balances right after its last change strictly before {@code timestamp} (zero if none). */
    public Balances balancesBefore(UUID account, long timestamp) {
        Record record = dsl.select(POSTINGS.DEBITS_PENDING, POSTINGS.DEBITS_POSTED, POSTINGS.CREDITS_PENDING,
                POSTINGS.CREDITS_POSTED)
            .from(POSTINGS)
            .where(POSTINGS.ACCOUNT_ID.eq(account).and(POSTINGS.TIMESTAMP.lt(timestamp)))
            .orderBy(POSTINGS.TIMESTAMP.desc(), POSTINGS.TRANSFER_TIMESTAMP.desc())
            .limit(1).fetchOne();
        return record == null ? Balances.ZERO : new Balances(record.get(POSTINGS.DEBITS_PENDING),
            record.get(POSTINGS.DEBITS_POSTED), record.get(POSTINGS.CREDITS_PENDING), record.get(POSTINGS.CREDITS_POSTED));
    }

    /** The account's balances just before the posting at {@code position} (see {@link StatementPosition}). */
    public Balances balancesBefore(UUID account, StatementPosition position) {
        Record record = dsl.select(POSTINGS.DEBITS_PENDING, POSTINGS.DEBITS_POSTED, POSTINGS.CREDITS_PENDING,
                POSTINGS.CREDITS_POSTED)
            .from(POSTINGS)
            .where(POSTINGS.ACCOUNT_ID.eq(account)
                .and(DSL.row(POSTINGS.TIMESTAMP, POSTINGS.TRANSFER_TIMESTAMP).lt(position.timestamp(),
                    position.transferTimestamp())))
            .orderBy(POSTINGS.TIMESTAMP.desc(), POSTINGS.TRANSFER_TIMESTAMP.desc())
            .limit(1).fetchOne();
        return record == null ? Balances.ZERO : new Balances(record.get(POSTINGS.DEBITS_PENDING),
            record.get(POSTINGS.DEBITS_POSTED), record.get(POSTINGS.CREDITS_PENDING), record.get(POSTINGS.CREDITS_POSTED));
    }

    /** Every change of the account's balances with {@code from <= timestamp < to}, in order, streamed. */
    public void statementLines(UUID account, long from, long to, Consumer<StatementLine> sink) {
        statementLines(account, from, to, null, Long.MAX_VALUE, sink);
    }

    /**
     * As {@link #statementLines(UUID, long, long, Consumer)}, starting at {@code start} (inclusive; null: at
     * {@code from}) and giving at most {@code limit} lines.
     */
    public void statementLines(UUID account, long from, long to, StatementPosition start, long limit,
                               Consumer<StatementLine> sink) {
        Condition where = POSTINGS.ACCOUNT_ID.eq(account).and(POSTINGS.TIMESTAMP.ge(from)).and(POSTINGS.TIMESTAMP.lt(to));
        if (start != null) {
            where = where.and(DSL.row(POSTINGS.TIMESTAMP, POSTINGS.TRANSFER_TIMESTAMP).ge(start.timestamp(),
                start.transferTimestamp()));
        }
        try (Cursor<? extends Record> rows = dsl.select(POSTINGS.TIMESTAMP, POSTINGS.TRANSFER_TIMESTAMP, POSTINGS.KIND, POSTINGS.AMOUNT, POSTINGS.DEBITS_PENDING,
                    POSTINGS.DEBITS_POSTED, POSTINGS.CREDITS_PENDING, POSTINGS.CREDITS_POSTED, TRANSFERS.ID,
                    TRANSFERS.DEBIT_ACCOUNT_ID, TRANSFERS.CREDIT_ACCOUNT_ID, TRANSFERS.CODE, TRANSFERS.FLAGS,
                    TRANSFERS.PENDING_STATUS, TRANSFERS.USER_DATA_128)
                .from(POSTINGS).join(TRANSFERS).on(TRANSFERS.TIMESTAMP.eq(POSTINGS.TRANSFER_TIMESTAMP))
                .where(where)
                .orderBy(POSTINGS.TIMESTAMP, POSTINGS.TRANSFER_TIMESTAMP)
                .limit(limit)
                .fetchSize(FETCH_SIZE).fetchLazy()) {
            for (Record row : rows) {
                UUID debit = row.get(TRANSFERS.DEBIT_ACCOUNT_ID);
                int kind = row.get(POSTINGS.KIND);
                boolean debitSide = kind == 1 || kind == 3;
                sink.accept(new StatementLine(row.get(POSTINGS.TIMESTAMP), row.get(POSTINGS.TRANSFER_TIMESTAMP), kind,
                    row.get(POSTINGS.AMOUNT),
                    new Balances(row.get(POSTINGS.DEBITS_PENDING), row.get(POSTINGS.DEBITS_POSTED),
                        row.get(POSTINGS.CREDITS_PENDING), row.get(POSTINGS.CREDITS_POSTED)),
                    row.get(TRANSFERS.ID), debitSide ? row.get(TRANSFERS.CREDIT_ACCOUNT_ID) : debit,
                    row.get(TRANSFERS.CODE), row.get(TRANSFERS.FLAGS), row.get(TRANSFERS.PENDING_STATUS),
                    row.get(TRANSFERS.USER_DATA_128)));
            }
        }
    }

    /** Every account in {@code scope}, in ledger, code, id order, streamed (for export declarations). */
    public void accounts(Scope scope, Consumer<AccountRow> sink) {
        try (Cursor<Record> rows = dsl.select(accountFields(ACCOUNTS)).from(ACCOUNTS).where(scope.on(ACCOUNTS))
            .orderBy(ACCOUNTS.LEDGER, ACCOUNTS.CODE, ACCOUNTS.ID).fetchSize(FETCH_SIZE).fetchLazy()) {
            for (Record row : rows) {
                sink.accept(accountRow(row, ACCOUNTS));
            }
        }
    }

    /**
     * Every transfer with {@code from <= timestamp < to} whose debit or credit account is in {@code scope},
     * in timestamp order, with both accounts, streamed.
     */
    public void journal(Scope scope, long from, long to, Consumer<JournalLine> sink) {
        Accounts debit = ACCOUNTS.as("d");
        Accounts credit = ACCOUNTS.as("c");
        List<org.jooq.SelectField<?>> fields = new ArrayList<>(List.of(TRANSFERS.TIMESTAMP, TRANSFERS.ID, TRANSFERS.LEDGER,
            TRANSFERS.CODE, TRANSFERS.FLAGS, TRANSFERS.PENDING_STATUS, TRANSFERS.AMOUNT, TRANSFERS.PENDING_ID,
            TRANSFERS.USER_DATA_128, TRANSFERS.USER_DATA_64, TRANSFERS.USER_DATA_32));
        fields.addAll(accountFields(debit));
        fields.addAll(accountFields(credit));
        Condition inScope = scope.tenants() == null ? DSL.noCondition()
            : debit.TENANT.in(scope.tenants()).or(credit.TENANT.in(scope.tenants()));
        Condition ledger = scope.ledger() == null ? DSL.noCondition() : TRANSFERS.LEDGER.eq(scope.ledger());
        try (Cursor<Record> rows = dsl.select(fields).from(TRANSFERS)
            .join(debit).on(debit.ID.eq(TRANSFERS.DEBIT_ACCOUNT_ID))
            .join(credit).on(credit.ID.eq(TRANSFERS.CREDIT_ACCOUNT_ID))
            .where(TRANSFERS.TIMESTAMP.ge(from).and(TRANSFERS.TIMESTAMP.lt(to))).and(ledger).and(inScope)
            .orderBy(TRANSFERS.TIMESTAMP).fetchSize(FETCH_SIZE).fetchLazy()) {
            for (Record row : rows) {
                sink.accept(new JournalLine(row.get(TRANSFERS.TIMESTAMP), row.get(TRANSFERS.ID), row.get(TRANSFERS.LEDGER),
                    row.get(TRANSFERS.CODE), row.get(TRANSFERS.FLAGS), row.get(TRANSFERS.PENDING_STATUS),
                    row.get(TRANSFERS.AMOUNT), row.get(TRANSFERS.PENDING_ID), row.get(TRANSFERS.USER_DATA_128),
                    row.get(TRANSFERS.USER_DATA_64), row.get(TRANSFERS.USER_DATA_32), accountRow(row, debit),
                    accountRow(row, credit)));
            }
        }
    }

    /** Filters of {@code GET /v1/accounts} and {@code GET /v1/transfers} (null: any); AND-ed. */
    public record Filter(Integer ledger, Integer code, UUID userData128, Long userData64, Long userData32,
                         Set<Integer> tenants, long timestampMin, long timestampMax, boolean reversed, int limit) {
    }

    /** A row of a filtered listing: the id and its ledger timestamp (the paging cursor). */
    public record Listed(UUID id, long timestamp) {
    }

    /** The accounts that match, in timestamp order (or reversed), at most {@code limit}. */
    public List<Listed> accountIds(Filter filter) {
        Condition condition = DSL.noCondition();
        if (filter.ledger() != null) {
            condition = condition.and(ACCOUNTS.LEDGER.eq(filter.ledger()));
        }
        if (filter.code() != null) {
            condition = condition.and(ACCOUNTS.CODE.eq(filter.code()));
        }
        if (filter.userData128() != null) {
            condition = condition.and(ACCOUNTS.USER_DATA_128.eq(filter.userData128()));
        }
        if (filter.userData64() != null) {
            condition = condition.and(ACCOUNTS.USER_DATA_64.eq(filter.userData64()));
        }
        if (filter.userData32() != null) {
            condition = condition.and(ACCOUNTS.USER_DATA_32.eq(filter.userData32()));
        }
        if (filter.tenants() != null) {
            condition = condition.and(ACCOUNTS.TENANT.in(filter.tenants()));
        }
        condition = condition.and(ACCOUNTS.TIMESTAMP.between(filter.timestampMin(), filter.timestampMax()));
        return dsl.select(ACCOUNTS.ID, ACCOUNTS.TIMESTAMP).from(ACCOUNTS).where(condition)
            .orderBy(filter.reversed() ? ACCOUNTS.TIMESTAMP.desc() : ACCOUNTS.TIMESTAMP.asc())
            .limit(filter.limit()).fetch(row -> new Listed(row.value1(), row.value2()));
    }

    /** The transfers that match (tenants: either account in them), in timestamp order, at most {@code limit}. */
    public List<Listed> transferIds(Filter filter) {
        Condition condition = DSL.noCondition();
        if (filter.ledger() != null) {
            condition = condition.and(TRANSFERS.LEDGER.eq(filter.ledger()));
        }
        if (filter.code() != null) {
            condition = condition.and(TRANSFERS.CODE.eq(filter.code()));
        }
        if (filter.userData128() != null) {
            condition = condition.and(TRANSFERS.USER_DATA_128.eq(filter.userData128()));
        }
        if (filter.userData64() != null) {
            condition = condition.and(TRANSFERS.USER_DATA_64.eq(filter.userData64()));
        }
        if (filter.userData32() != null) {
            condition = condition.and(TRANSFERS.USER_DATA_32.eq(filter.userData32()));
        }
        if (filter.tenants() != null) {
            condition = condition.and(DSL.exists(DSL.selectOne().from(ACCOUNTS)
                .where(ACCOUNTS.ID.in(TRANSFERS.DEBIT_ACCOUNT_ID, TRANSFERS.CREDIT_ACCOUNT_ID))
                .and(ACCOUNTS.TENANT.in(filter.tenants()))));
        }
        condition = condition.and(TRANSFERS.TIMESTAMP.between(filter.timestampMin(), filter.timestampMax()));
        return dsl.select(TRANSFERS.ID, TRANSFERS.TIMESTAMP).from(TRANSFERS).where(condition)
            .orderBy(filter.reversed() ? TRANSFERS.TIMESTAMP.desc() : TRANSFERS.TIMESTAMP.asc())
            .limit(filter.limit()).fetch(row -> new Listed(row.value1(), row.value2()));
    }

    private static List<org.jooq.SelectField<?>> accountFields(Accounts table) {
        return List.of(table.ID, table.LEDGER, table.CODE, table.FLAGS, table.TENANT, table.TIMESTAMP);
    }

    private static AccountRow accountRow(Record row, Accounts table) {
        return new AccountRow(row.get(table.ID), row.get(table.LEDGER), row.get(table.CODE), row.get(table.FLAGS),
            row.get(table.TENANT), row.get(table.TIMESTAMP));
    }
}
