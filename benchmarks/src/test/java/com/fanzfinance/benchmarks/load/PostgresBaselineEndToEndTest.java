package com.fanzfinance.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fanzfinance.ledger.command.AccountFlags;
import com.fanzfinance.server.TestDatabase;

/** The PostgreSQL baseline against a real PostgreSQL (local, or embedded), each test in its own schema. */
class PostgresBaselineEndToEndTest {
    private String schema;

    @BeforeEach
    void freshSchema() {
        schema = TestDatabase.freshSchema("load_baseline");
    }

    @AfterEach
    void dropSchema() {
        TestDatabase.dropSchema(schema);
    }

    private String[] args(String... more) {
        String[] base = {"--target", "postgres", "--jdbc-url", TestDatabase.url(), "--schema", schema,
            "--account-count", "200", "--transfer-count", "2000", "--transfer-batch-size", "100", "--clients", "2",
            "--query-count", "50", "--query-limit", "100", "--transfer-pending", "0.2"};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void baselineRunCommitsEveryTransferAndValidates() throws Exception {
        LoadOutput run = LoadOutput.run(args("--validate", "--account-distribution", "zipfian", "--id-order", "random"));
        assertThat(run.exitStatus).as(run.toString()).isZero();
        run.hasTigerBeetleLines("transaction");
        assertThat(run.out).contains("20 batches in ", "validated 200 accounts", "validated 2000 transfers");
        try (Connection connection = TestDatabase.connect(schema); Statement statement = connection.createStatement();
             ResultSet totals = statement.executeQuery("SELECT count(*), sum(amount) FILTER (WHERE side = 'D'),"
                 + " sum(amount) FILTER (WHERE side = 'C') FROM postings")) {
            assertThat(totals.next()).isTrue();
            assertThat(totals.getLong(1)).isEqualTo(4000);
            assertThat(totals.getLong(2)).isEqualTo(totals.getLong(3)).isPositive();
        }
    }

    @Test
    void validationFailsWhenABalanceIsOff() throws Exception {
        LoadOutput run = LoadOutput.run(args("--query-count", "0"));
        assertThat(run.exitStatus).as(run.toString()).isZero();
        try (Connection connection = TestDatabase.connect(schema); Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE accounts SET credits_posted = credits_posted + 1"
                + " WHERE id = '00000000-0000-0000-0000-000000000007'");
            statement.executeUpdate("DELETE FROM postings WHERE id = (SELECT min(id) FROM postings)");
        }
        Workload workload = new Workload(42, 200, AccountDistribution.UNIFORM, 2000, 0.2, IdOrder.SEQUENTIAL, 1);
        ValidationReport report = new ValidationReport();
        try (PostgresBaselineTarget target = new PostgresBaselineTarget(TestDatabase.url(), schema)) {
            target.validate(workload, BalanceFold.of(workload), report);
        }
        assertThat(report.passed()).isFalse();
        assertThat(String.join("\n", report.problems())).contains("account 6 balance 3", "postings are missing",
            "Σ debits ≠ Σ credits over the accounts");
    }

    @Test
    void theOverdraftCheckRefusesATransferThatWouldOverdrawAFlaggedAccount() throws Exception {
        LoadOptions options = new LoadOptions(200, AccountDistribution.UNIFORM, 2000, 100, 0, 1, IdOrder.SEQUENTIAL,
            false, 42, 1, 0, 0, 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (FlaggingTarget target = new FlaggingTarget(new PostgresBaselineTarget(TestDatabase.url(), schema))) {
            LoadRun run = new LoadRun(options, target, new PrintStream(out, true, StandardCharsets.UTF_8));
            assertThatThrownBy(run::run).isInstanceOf(LoadFailure.class).hasMessageContaining("exceeds_credits");
        }
        try (Connection connection = TestDatabase.connect(schema); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM postings")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getLong(1)).as("the refused transaction left nothing behind").isZero();
        }
    }

    /** The baseline with every account given {@code debits_must_not_exceed_credits} after creation. */
    private final class FlaggingTarget implements Target {
        private final PostgresBaselineTarget delegate;

        FlaggingTarget(PostgresBaselineTarget delegate) {
            this.delegate = delegate;
        }

        @Override
        public void createAccounts(Workload workload) throws Exception {
            delegate.createAccounts(workload);
            try (Connection connection = TestDatabase.connect(schema); Statement statement = connection.createStatement()) {
                statement.executeUpdate("UPDATE accounts SET flags = " + AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS);
            }
        }

        @Override
        public Client openClient(int clientIndex) throws Exception {
            return delegate.openClient(clientIndex);
        }

        @Override
        public void validate(Workload workload, BalanceFold fold, ValidationReport report) throws Exception {
            delegate.validate(workload, fold, report);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
