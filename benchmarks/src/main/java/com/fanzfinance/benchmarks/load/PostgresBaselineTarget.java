package com.fanzfinance.benchmarks.load;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.AccountFlags;
import com.fanzfinance.ledger.command.Uint128;

/**
 * The ledger a team would write on PostgreSQL instead: an {@code accounts} table with running balances
 * and a {@code postings} table, one SQL transaction per transfer — lock both accounts
 * ({@code SELECT … FOR UPDATE}, in id order so concurrent clients cannot deadlock), check the overdraft
 * limits, two UPDATEs, two INSERTs, COMMIT with {@code synchronous_commit = on}. Each load client is one
 * connection. The schema is dropped and created at the start of every run.
 *
 * <p>A "batch" here is a batch's worth of transfers processed one transaction after another on one
 * connection; its latency is comparable to the ledger's batch latency as "time until these N transfers
 * are durable". The per-transaction latency is printed as well.
 */
public final class PostgresBaselineTarget implements Target {
    public static final String DEFAULT_SCHEMA = "fanz_baseline";
    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final int ACCOUNT_INSERT_BATCH = 1000;

    private final String jdbcUrl;
    private final String schema;
    private final List<LatencyRecorder> transactionLatencies = new ArrayList<>();
    private Workload workload;

    public PostgresBaselineTarget(String jdbcUrl, String schema) {
        if (!SCHEMA_NAME.matcher(schema).matches()) {
            throw new IllegalArgumentException("--schema: a lower-case SQL identifier, got '" + schema + "'");
        }
        this.jdbcUrl = jdbcUrl;
        this.schema = schema;
    }

    @Override
    public void createAccounts(Workload workload) throws SQLException {
        this.workload = workload;
        try (Connection connection = connect()) {
            createSchema(connection);
            insertAccounts(connection, workload);
        }
    }

    @Override
    public Client openClient(int clientIndex) throws SQLException {
        if (workload == null) {
            throw new IllegalStateException("create the accounts first");
        }
        LatencyRecorder recorder = new LatencyRecorder((int) Math.min(workload.transferCount(), 1 << 20));
        synchronized (transactionLatencies) {
            transactionLatencies.add(recorder);
        }
        return new PostgresClient(connect(), recorder);
    }

    @Override
    public void printTransferDetails(PrintStream out) {
        synchronized (transactionLatencies) {
            LoadRun.printPercentiles(out, "transaction", LatencyRecorder.merge(transactionLatencies));
        }
    }

    @Override
    public void validate(Workload workload, BalanceFold fold, ValidationReport report) throws SQLException {
        try (Connection connection = connect()) {
            new PostgresValidation(workload, fold, connection, schema, report).run();
        }
    }

    @Override
    public void close() {
        // Each client closes its own connection.
    }

    private Connection connect() throws SQLException {
        Connection connection = DriverManager.getConnection(jdbcUrl);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET synchronous_commit = on");
        }
        connection.setAutoCommit(false);
        return connection;
    }

    private void createSchema(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            statement.execute("CREATE SCHEMA " + schema);
            statement.execute("CREATE TABLE " + schema + ".accounts (id uuid PRIMARY KEY, ledger integer NOT NULL,"
                + " code integer NOT NULL, flags integer NOT NULL, debits_pending bigint NOT NULL DEFAULT 0,"
                + " debits_posted bigint NOT NULL DEFAULT 0, credits_pending bigint NOT NULL DEFAULT 0,"
                + " credits_posted bigint NOT NULL DEFAULT 0, user_data_128 uuid NOT NULL, user_data_64 bigint NOT NULL,"
                + " user_data_32 integer NOT NULL, created_at timestamptz NOT NULL DEFAULT now())");
            statement.execute("CREATE TABLE " + schema + ".postings (id bigserial PRIMARY KEY, transfer_id uuid NOT NULL,"
                + " account_id uuid NOT NULL REFERENCES " + schema + ".accounts (id), side char(1) NOT NULL"
                + " CHECK (side IN ('D', 'C')), amount bigint NOT NULL CHECK (amount > 0), pending boolean NOT NULL,"
                + " ledger integer NOT NULL, code integer NOT NULL, created_at timestamptz NOT NULL DEFAULT now(),"
                + " UNIQUE (transfer_id, side))");
            statement.execute("CREATE INDEX ON " + schema + ".postings (account_id, id)");
        }
        connection.commit();
    }

    private void insertAccounts(Connection connection, Workload workload) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + schema + ".accounts (id, ledger,"
            + " code, flags, user_data_128, user_data_64, user_data_32) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < workload.accountCount(); i++) {
                Account account = workload.account(i);
                insert.setObject(1, uuid(account.id()));
                insert.setInt(2, account.ledger());
                insert.setInt(3, account.code());
                insert.setInt(4, account.flags());
                insert.setObject(5, uuid(account.userData128()));
                insert.setLong(6, account.userData64());
                insert.setInt(7, account.userData32());
                insert.addBatch();
                if ((i + 1) % ACCOUNT_INSERT_BATCH == 0) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
        }
        connection.commit();
    }

    static UUID uuid(Uint128 value) {
        return new UUID(value.high(), value.low());
    }

    static Uint128 uint128(UUID value) {
        return Uint128.of(value.getMostSignificantBits(), value.getLeastSignificantBits());
    }

    /** A batch's transfers, drawn and converted to SQL values ahead of time. */
    private record SqlBatch(long firstTransfer, int count, UUID[] ids, UUID[] debits, UUID[] credits, long[] amounts,
                            boolean[] pending, int[] codes) implements PreparedBatch {
    }

    /** One connection; each transfer one transaction. */
    private final class PostgresClient implements Client {
        private final Connection connection;
        private final LatencyRecorder transactionLatency;
        private final PreparedStatement lock;
        private final PreparedStatement debit;
        private final PreparedStatement credit;
        private final PreparedStatement posting;
        private final PreparedStatement history;
        private final ThreadLocal<IndexRandom> random = ThreadLocal.withInitial(() -> workload.newRandom());

        PostgresClient(Connection connection, LatencyRecorder transactionLatency) throws SQLException {
            this.connection = connection;
            this.transactionLatency = transactionLatency;
            this.lock = connection.prepareStatement("SELECT id, flags, debits_pending, debits_posted, credits_pending,"
                + " credits_posted FROM " + schema + ".accounts WHERE id IN (?, ?) ORDER BY id FOR UPDATE");
            this.debit = connection.prepareStatement("UPDATE " + schema + ".accounts SET debits_pending ="
                + " debits_pending + ?, debits_posted = debits_posted + ? WHERE id = ?");
            this.credit = connection.prepareStatement("UPDATE " + schema + ".accounts SET credits_pending ="
                + " credits_pending + ?, credits_posted = credits_posted + ? WHERE id = ?");
            this.posting = connection.prepareStatement("INSERT INTO " + schema + ".postings (transfer_id, account_id,"
                + " side, amount, pending, ledger, code) VALUES (?, ?, ?, ?, ?, ?, ?)");
            this.history = connection.prepareStatement("SELECT transfer_id, side, amount, pending FROM " + schema
                + ".postings WHERE account_id = ? ORDER BY id LIMIT ?");
        }

        @Override
        public PreparedBatch prepare(long firstTransfer, int count) {
            SqlBatch batch = new SqlBatch(firstTransfer, count, new UUID[count], new UUID[count], new UUID[count],
                new long[count], new boolean[count], new int[count]);
            TransferDraw draw = new TransferDraw();
            for (int i = 0; i < count; i++) {
                workload.draw(firstTransfer + i, random.get(), draw);
                batch.ids()[i] = uuid(workload.transferId(draw.number));
                batch.debits()[i] = uuid(workload.accountId(draw.debitAccount));
                batch.credits()[i] = uuid(workload.accountId(draw.creditAccount));
                batch.amounts()[i] = draw.amount;
                batch.pending()[i] = draw.pending;
                batch.codes()[i] = draw.code;
            }
            return batch;
        }

        @Override
        public void submit(PreparedBatch prepared) throws SQLException {
            SqlBatch batch = (SqlBatch) prepared;
            for (int i = 0; i < batch.count(); i++) {
                long started = System.nanoTime();
                transfer(batch, i);
                transactionLatency.record(System.nanoTime() - started);
            }
        }

        private void transfer(SqlBatch batch, int i) throws SQLException {
            try {
                lockAndCheck(batch, i);
                update(debit, batch.debits()[i], batch.amounts()[i], batch.pending()[i]);
                update(credit, batch.credits()[i], batch.amounts()[i], batch.pending()[i]);
                insertPosting(batch, i, batch.debits()[i], "D");
                insertPosting(batch, i, batch.credits()[i], "C");
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }

        /** Locks both accounts in id order and applies the overdraft limits the accounts' flags ask for. */
        private void lockAndCheck(SqlBatch batch, int i) throws SQLException {
            lock.setObject(1, batch.debits()[i]);
            lock.setObject(2, batch.credits()[i]);
            int found = 0;
            try (ResultSet rows = lock.executeQuery()) {
                while (rows.next()) {
                    found++;
                    boolean isDebit = rows.getObject(1).equals(batch.debits()[i]);
                    checkLimit(batch.firstTransfer() + i, isDebit, rows, batch.amounts()[i]);
                }
            }
            if (found != 2) {
                throw new LoadFailure("transfer " + (batch.firstTransfer() + i) + " was not created: account not found");
            }
        }

        private void checkLimit(long transferIndex, boolean isDebit, ResultSet row, long amount) throws SQLException {
            int flags = row.getInt(2);
            long debits = Math.addExact(row.getLong(3), row.getLong(4));
            long credits = Math.addExact(row.getLong(5), row.getLong(6));
            if (isDebit && AccountFlags.isSet(flags, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS)
                && Math.addExact(debits, amount) > row.getLong(6)) {
                throw new LoadFailure("transfer " + transferIndex + " was not created: exceeds_credits");
            }
            if (!isDebit && AccountFlags.isSet(flags, AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS)
                && Math.addExact(credits, amount) > row.getLong(4)) {
                throw new LoadFailure("transfer " + transferIndex + " was not created: exceeds_debits");
            }
        }

        private void update(PreparedStatement statement, UUID account, long amount, boolean pending) throws SQLException {
            statement.setLong(1, pending ? amount : 0);
            statement.setLong(2, pending ? 0 : amount);
            statement.setObject(3, account);
            statement.executeUpdate();
        }

        private void insertPosting(SqlBatch batch, int i, UUID account, String side) throws SQLException {
            posting.setObject(1, batch.ids()[i]);
            posting.setObject(2, account);
            posting.setString(3, side);
            posting.setLong(4, batch.amounts()[i]);
            posting.setBoolean(5, batch.pending()[i]);
            posting.setInt(6, workload.ledger());
            posting.setInt(7, batch.codes()[i]);
            posting.executeUpdate();
        }

        @Override
        public void query(int accountIndex, int limit) throws SQLException {
            history.setObject(1, uuid(workload.accountId(accountIndex)));
            history.setInt(2, limit);
            try (ResultSet rows = history.executeQuery()) {
                while (rows.next()) {
                    rows.getLong(3);
                }
            }
            connection.commit();
        }

        @Override
        public void close() throws SQLException {
            connection.close();
        }
    }
}
