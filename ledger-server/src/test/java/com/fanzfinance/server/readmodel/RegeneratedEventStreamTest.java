package com.fanzfinance.server.readmodel;

import static com.fanzfinance.server.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

import com.fanzfinance.ledger.command.OutcomeExcerpt;
import com.fanzfinance.ledger.journal.JournalQueues;
import com.fanzfinance.ledger.journal.JournalWriter;
import com.fanzfinance.ledger.journal.OutcomeStream;
import com.fanzfinance.server.TestDatabase;
import com.fanzfinance.server.TestServer;
import com.fanzfinance.server.cli.FanzCommand;

/**
 * The projector after its event stream was written again. The stream ({@code <data>/events}) is not synced
 * per batch; after a power cut recovery writes the missing excerpts again from the journal, so the same
 * commands sit at other queue indexes than the ones the read model stored. The projector must find its
 * command by number and go on after it, projecting nothing twice. And when the ledger no longer holds the
 * read model's commands (a data directory restored from an older copy), it must stop and say so — 503
 * {@code read-model-diverged} naming the rebuild — rather than retry forever; the rebuild mends it.
 */
class RegeneratedEventStreamTest {
    private static final String[] ACCOUNTS = {new UUID(0xE5, 1).toString(), new UUID(0xE5, 2).toString()};
    private static final long PATIENCE_MILLIS = 30_000;

    private String schema;
    private TestServer server;
    private int transfersSent;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        TestDatabase.dropSchema(schema);
    }

    @Test
    void aStreamWrittenAgainByRecoveryIsFollowedByCommandNumberWithNothingProjectedTwice(@TempDir Path data)
        throws Exception {
        schema = TestDatabase.freshSchema("rm_regen");
        start(data);
        createAccounts();
        long kept = server.server().engine().lastPublishedCommand();
        postTransfers(20);
        awaitCaughtUp();
        long projected = server.server().readModel().projector().position().command();
        server.close();

        rewriteEventStreamAnHourEarlier(data.resolve("events"), kept);
        start(data);
        postTransfers(3);
        awaitCaughtUp();
        Projector projector = server.server().readModel().projector();
        assertThat(projector.position().command()).isGreaterThan(projected);
        assertThat(projector.lastFailure()).isNull();
        assertThat(count("SELECT count(*) FROM transfers")).isEqualTo(transfersSent);
        assertThat(count("SELECT count(*) FROM postings")).isEqualTo(2L * transfersSent);
        assertThat(trialBalance().path("balanced").asBoolean()).isTrue();
    }

    @Test
    void aReadModelAheadOfTheLedgerStopsProjectingSaysSoAndTheRebuildMendsIt(@TempDir Path directory)
        throws Exception {
        schema = TestDatabase.freshSchema("rm_ahead");
        Path data = directory.resolve("data");
        start(data);
        createAccounts();
        postTransfers(5);
        server.close();
        Path olderCopy = directory.resolve("older-copy");
        copy(data, olderCopy);

        start(data);
        postTransfers(10);
        awaitCaughtUp();
        server.close();
        replace(data, olderCopy);

        start(data);
        assertRefusedAsDiverged("ends at command");
        postTransfers(30);
        server.close();
        start(data);
        assertRefusedAsDiverged("is not the ledger's command");
        server.close();
        server = null;

        Path config = directory.resolve("rebuild.conf");
        Files.writeString(config, "FANZ_DB_URL=" + TestDatabase.url() + "\nFANZ_DB_SCHEMA=" + schema + "\nFANZ_PAYMENTS_SCHEMA=" + schema + "_pay"
            + "\nFANZ_MAPPED_STORES=false\nFANZ_ACCOUNTS_MAX=100000\nFANZ_TRANSFERS_MAX=10000000\n");
        assertThat(new CommandLine(new FanzCommand()).execute("read-model", "rebuild", "--no-progress", "--config",
            config.toString(), "--data", data.toString())).isZero();
        start(data);
        postTransfers(1);
        awaitCaughtUp();
        assertThat(server.server().readModel().projector().divergence()).isNull();
        assertThat(count("SELECT count(*) FROM transfers")).isEqualTo(5 + 30 + 1);
        assertThat(trialBalance().path("balanced").asBoolean()).isTrue();
    }

    private void assertRefusedAsDiverged(String because) throws InterruptedException {
        Projector projector = server.server().readModel().projector();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PATIENCE_MILLIS);
        while (projector.divergence() == null && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(projector.divergence()).as("the projector says why it stopped").isNotNull();
        assertThat(projector.divergence().getMessage()).contains(because).contains("fanz read-model rebuild");
        // The divergence is recorded (and logged) just before the projector's thread returns: give it that moment.
        while (projector.isProjecting() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(projector.isProjecting()).as("it stopped rather than retrying").isFalse();
        TestServer.Response refused = server.get("/v1/reports/trial-balance", ADMIN_KEY);
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.json().path("type").asText()).endsWith("/read-model-diverged");
        assertThat(refused.json().path("detail").asText()).contains("fanz read-model rebuild");
    }

    private void start(Path data) {
        server = TestServer.start(data, TestDatabase.readModelSettings(schema));
    }

    private void createAccounts() {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < ACCOUNTS.length; i++) {
            bodies.add("{\"id\":\"" + ACCOUNTS[i] + "\",\"ledger\":840,\"code\":" + (i == 0 ? 1100 : 4100) + "}");
        }
        assertThat(server.postJson("/v1/accounts", ADMIN_KEY, "{\"accounts\":[" + String.join(",", bodies) + "]}")
            .status()).isEqualTo(200);
    }

    /** One command per transfer, so that each is its own excerpt in the event stream. */
    private void postTransfers(int count) {
        for (int i = 0; i < count; i++) {
            TestServer.Response response = server.postJson("/v1/transfers", ADMIN_KEY, "{\"transfers\":[{\"id\":\""
                + UUID.randomUUID() + "\",\"debit_account_id\":\"" + ACCOUNTS[0] + "\",\"credit_account_id\":\""
                + ACCOUNTS[1] + "\",\"amount\":" + (100 + i) + ",\"ledger\":840,\"code\":1}]}");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.json().path("results").get(0).path("status").asText()).isEqualTo("created");
            transfersSent++;
        }
    }

    private void awaitCaughtUp() throws InterruptedException {
        assertThat(server.server().readModel().projector().awaitCaughtUp(PATIENCE_MILLIS))
            .as("the projector caught up (last failure: %s)", server.server().readModel().projector().lastFailure())
            .isTrue();
    }

    private JsonNode trialBalance() {
        TestServer.Response response = server.get("/v1/reports/trial-balance", ADMIN_KEY);
        assertThat(response.status()).isEqualTo(200);
        return response.json();
    }

    private long count(String sql) throws Exception {
        try (Connection connection = TestDatabase.connect(schema); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /**
     * Leaves the event stream as a power cut and recovery would: only the excerpts through command
     * {@code keptThrough} survived (written, as a copy, into files of the previous hour's cycle, so their
     * indexes differ too), and the next start writes every later one again from the journal.
     */
    private static void rewriteEventStreamAnHourEarlier(Path events, long keptThrough) throws IOException {
        Path rewritten = events.resolveSibling("events.rewritten");
        long anHourAgoMillis = System.currentTimeMillis() - TimeUnit.HOURS.toMillis(1);
        try (OutcomeStream original = OutcomeStream.open(events);
             SingleChronicleQueue queue = JournalQueues.open(rewritten, JournalQueues.rollCycle("FAST_HOURLY"),
                 new SetTimeProvider(TimeUnit.MILLISECONDS.toNanos(anHourAgoMillis)));
             JournalWriter writer = new JournalWriter(queue)) {
            original.resumeAfter(-1, -1);
            while (original.next() && original.excerpt().commandNumber() <= keptThrough) {
                OutcomeExcerpt excerpt = original.excerpt();
                writer.append(excerpt.buffer(), 0, excerpt.sideDataOffset() + excerpt.sideDataLength());
            }
            writer.sync();
        }
        delete(events);
        Files.move(rewritten, events);
    }

    private static void replace(Path target, Path source) throws IOException {
        delete(target);
        copy(source, target);
    }

    private static void copy(Path source, Path target) throws IOException {
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path path : paths.toList()) {
                Path to = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(path, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void delete(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
