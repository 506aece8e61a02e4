package com.fanzfinance.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import com.fanzfinance.ledger.client.LedgerClient;
import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.AccountFilter;
import com.fanzfinance.ledger.command.CreateResult;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.Uint128;

/**
 * Three members of a clustered ledger as real {@code fanz serve} processes on loopback, one shared read model
 * in PostgreSQL, load through {@code ledger-client} with the three servers as failover URLs. The leader is
 * SIGKILLed twice, then the member whose projector writes the read model, then a member while a cluster-wide
 * snapshot is being taken; each comes back on its own data directory. Then: every member reports the same
 * hash chain and state hash at the same command; every acknowledged transfer is on every member exactly once
 * and nothing else is (the accounts' totals equal the acknowledged transfers, debits = credits, and the
 * accounts' debit sides list exactly the acknowledged ids); the read model holds each of them once. How long
 * writes stalled after each kill is printed (for docs/benchmarks.md), never asserted against a time.
 */
class ClusterFailoverEndToEndTest {
    private static final String ADMIN_KEY = "cluster-test-admin-key-0123456789";
    private static final int ACCOUNTS = 50;
    private static final int BATCH = 10;
    private static final int LOADERS = 2;

    @TempDir
    Path directory;

    private final List<ClusterMember> members = new ArrayList<>();
    private final AtomicBoolean loading = new AtomicBoolean(true);
    private final AtomicLong acknowledged = new AtomicLong();
    private final ConcurrentLinkedQueue<Long> acknowledgedBatches = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Throwable> loadFailures = new ConcurrentLinkedQueue<>();

    @Test
    void survivesKillingTheLeaderTheProjectingMemberAndAMemberMidSnapshot() throws Exception {
        String schema = TestDatabase.freshSchema("cluster");
        int clusterBase = ClusterMember.freeClusterBase(3);
        Map<String, String> settings = new HashMap<>(TestDatabase.readModelSettings(schema));
        settings.put("FANZ_PAYMENTS", "false");
        settings.put("FANZ_CLUSTER_MEMBERS", "127.0.0.1,127.0.0.1,127.0.0.1");
        settings.put("FANZ_CLUSTER_PORT", Integer.toString(clusterBase));
        settings.put("FANZ_CLUSTER_HEARTBEAT_MS", "1000");
        settings.put("FANZ_CLUSTER_SNAPSHOT_MINUTES", "0");
        settings.put("FANZ_ACCOUNTS_MAX", "10000");
        settings.put("FANZ_TRANSFERS_MAX", "10000000");
        settings.put("FANZ_READ_MODEL_READERS", "2");
        settings.put("FANZ_LOG_FORMAT", "text");
        List<Thread> loaders = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                members.add(new ClusterMember(i, directory.resolve("member-" + i), ClusterMember.freeTcpPort(), settings,
                    ADMIN_KEY));
            }
            for (ClusterMember member : members) {
                member.start();
            }
            for (ClusterMember member : members) {
                member.awaitReady(Duration.ofMinutes(2));
            }
            try (LedgerClient client = client()) {
                List<Account> accounts = new ArrayList<>();
                for (int i = 1; i <= ACCOUNTS; i++) {
                    accounts.add(Account.of(Uint128.of(i), 1, 10));
                }
                assertThat(client.createAccounts(accounts)).allMatch(LedgerClient::isCreatedOrExists);
                for (int loader = 0; loader < LOADERS; loader++) {
                    long firstId = 1_000_000_000L * (loader + 1);
                    Thread thread = new Thread(() -> load(client, firstId), "cluster-load-" + loader);
                    thread.start();
                    loaders.add(thread);
                }
                List<String> stalls = new ArrayList<>();
                Thread.sleep(2_000);
                stalls.add("leader: " + killAndRestart(leader()));
                Thread.sleep(2_000);
                stalls.add("leader again: " + killAndRestart(leader()));
                Thread.sleep(2_000);
                stalls.add("the projecting member: " + killAndRestart(projecting()));
                Thread.sleep(2_000);
                ClusterMember asked = leader();
                ClusterMember victim = members.get((asked.index + 1) % 3);
                asked.requestSnapshot();
                Thread.sleep(ThreadLocalRandomHolder.between(5, 60));
                stalls.add("a member during a snapshot: " + killAndRestart(victim));
                Thread.sleep(2_000);
                loading.set(false);
                for (Thread thread : loaders) {
                    thread.join(120_000);
                }
                assertThat(loadFailures).isEmpty();
                System.out.println("cluster failover: " + acknowledged.get() + " transfers acknowledged; writes stalled "
                    + stalls);
            }
            long transfers = acknowledged.get();
            assertThat(transfers).isPositive();
            long checking = System.nanoTime();
            JsonNode reference = awaitSameHashes();
            assertThat(reference.path("applied_commands").asLong()).isPositive();
            for (ClusterMember member : members) {
                checkMoney(member, transfers);
            }
            checkReadModel(schema, transfers);
            System.out.println("cluster failover: checks took " + Duration.ofNanos(System.nanoTime() - checking).toMillis()
                + " ms");
        } finally {
            loading.set(false);
            for (ClusterMember member : members) {
                member.stop();
            }
            TestDatabase.dropSchema(schema);
        }
    }

    /** Batches of transfers with fresh ids, each sent until acknowledged (created, or exists after a retry). */
    private void load(LedgerClient client, long firstId) {
        long nextId = firstId;
        while (loading.get()) {
            List<Transfer> batch = new ArrayList<>(BATCH);
            for (int i = 0; i < BATCH; i++) {
                long id = nextId + i;
                long debit = 1 + Math.floorMod(id, ACCOUNTS);
                long credit = 1 + Math.floorMod(id + 1 + Math.floorMod(id / ACCOUNTS, ACCOUNTS - 1), ACCOUNTS);
                batch.add(Transfer.of(Uint128.of(id), Uint128.of(debit), Uint128.of(credit), 1, 1, 1));
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (true) {
                try {
                    List<CreateResult<CreateTransferStatus>> results = client.createTransfers(batch);
                    for (CreateResult<CreateTransferStatus> result : results) {
                        if (!LedgerClient.isCreatedOrExists(result)) {
                            throw new AssertionError("transfer " + (nextId + result.index()) + ": " + result.status());
                        }
                    }
                    break;
                } catch (RuntimeException e) {
                    if (System.nanoTime() > deadline) {
                        loadFailures.add(e);
                        return;
                    }
                } catch (AssertionError e) {
                    loadFailures.add(e);
                    return;
                }
            }
            acknowledged.addAndGet(BATCH);
            acknowledgedBatches.add(nextId);
            nextId += BATCH;
        }
    }

    private LedgerClient client() {
        return LedgerClient.builder(members.get(0).base(), ADMIN_KEY)
            .failoverUrls(members.get(1).base(), members.get(2).base())
            .requestTimeout(Duration.ofSeconds(10)).callTimeout(Duration.ofSeconds(60)).maxAttempts(30)
            .retryBackoff(Duration.ofMillis(50), Duration.ofMillis(500)).build();
    }

    /**
     * SIGKILLs the member, measures how long until the cluster acknowledges a batch sent after the kill,
     * starts the member again on its directory and waits for it to serve.
     */
    private String killAndRestart(ClusterMember member) throws Exception {
        long before = acknowledged.get();
        long killed = System.nanoTime();
        member.kill();
        long resumed = -1;
        long deadline = killed + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            // two more batches: at least one was sent after the kill
            if (acknowledged.get() >= before + 2L * LOADERS * BATCH) {
                resumed = System.nanoTime();
                break;
            }
            Thread.sleep(5);
        }
        assertThat(resumed).as("writes resumed within 60 s after killing member %d", member.index).isPositive();
        member.start();
        member.awaitReady(Duration.ofMinutes(2));
        return "member " + member.index + " " + Duration.ofNanos(resumed - killed).toMillis() + " ms";
    }

    private ClusterMember leader() throws Exception {
        return memberWhere("role", "leader");
    }

    private ClusterMember projecting() throws Exception {
        return memberWhere("read_model", "projecting");
    }

    /** The live member whose {@code GET /v1/admin/cluster} says {@code field} is {@code value} (waiting up to 30 s). */
    private ClusterMember memberWhere(String field, String value) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (ClusterMember member : members) {
                if (member.isAlive() && value.equals(status(member).path(field).asText())) {
                    return member;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no member says " + field + " = " + value);
    }

    private static JsonNode status(ClusterMember member) {
        try {
            return member.status(false);
        } catch (Exception e) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
    }

    /** Waits until every member has applied the same commands and reports the same two hashes. */
    private JsonNode awaitSameHashes() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        List<JsonNode> last = List.of();
        while (System.nanoTime() < deadline) {
            List<JsonNode> hashes = new ArrayList<>();
            for (ClusterMember member : members) {
                hashes.add(member.status(true));
            }
            last = hashes;
            JsonNode first = hashes.get(0);
            boolean same = hashes.stream().allMatch(h -> h.path("hashed_at_command").asLong()
                    == first.path("hashed_at_command").asLong()
                && h.path("chain_head").asText().equals(first.path("chain_head").asText())
                && h.path("state_hash").asText().equals(first.path("state_hash").asText()));
            if (same) {
                return first;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the members never agreed: " + last);
    }

    /**
     * On this member alone: the accounts' posted totals are exactly one unit per acknowledged transfer on each
     * side, and the transfers listed on the accounts' debit side are exactly the acknowledged ones, each once
     * and for one unit — none missing, none twice, none that no loader sent.
     */
    private void checkMoney(ClusterMember member, long transfers) {
        Set<Long> expected = new HashSet<>();
        for (long first : acknowledgedBatches) {
            for (long id = first; id < first + BATCH; id++) {
                expected.add(id);
            }
        }
        assertThat(expected).hasSize((int) transfers);
        try (LedgerClient alone = LedgerClient.builder(member.base(), ADMIN_KEY).build()) {
            long debits = 0;
            long credits = 0;
            Set<Long> listed = new HashSet<>();
            List<Long> twice = new ArrayList<>();
            for (int i = 1; i <= ACCOUNTS; i++) {
                Uint128 accountId = Uint128.of(i);
                Account account = alone.lookupAccount(accountId).orElseThrow();
                debits += account.debitsPosted();
                credits += account.creditsPosted();
                alone.allAccountTransfers(AccountFilter.of(accountId, AccountFilter.LIMIT_MAX).withDirections(true, false))
                    .forEach(transfer -> {
                        assertThat(transfer.id().high()).isZero();
                        assertThat(transfer.amount()).as("amount of transfer %s", transfer.id()).isEqualTo(1);
                        if (!listed.add(transfer.id().low())) {
                            twice.add(transfer.id().low());
                        }
                    });
            }
            assertThat(debits).as("debits on member %d", member.index).isEqualTo(transfers);
            assertThat(credits).as("credits on member %d", member.index).isEqualTo(transfers);
            assertThat(twice).as("transfers listed twice on member %d", member.index).isEmpty();
            assertThat(difference(expected, listed)).as("acknowledged transfers missing on member %d", member.index)
                .isEmpty();
            assertThat(difference(listed, expected)).as("transfers on member %d that no loader had acknowledged",
                member.index).isEmpty();
        }
    }

    /** Up to ten elements of {@code a} that {@code b} lacks (a short failure message for large sets). */
    private static List<Long> difference(Set<Long> a, Set<Long> b) {
        return a.stream().filter(id -> !b.contains(id)).sorted().limit(10).toList();
    }

    /** The shared read model catches up with every transfer, each once, whichever member projected it. */
    private static void checkReadModel(String schema, long transfers) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        long count = -1;
        long distinct = -1;
        try (Connection connection = TestDatabase.connect(schema); Statement statement = connection.createStatement()) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rows = statement.executeQuery("SELECT count(*), count(DISTINCT id) FROM transfers")) {
                    rows.next();
                    count = rows.getLong(1);
                    distinct = rows.getLong(2);
                }
                if (count >= transfers) {
                    break;
                }
                Thread.sleep(250);
            }
        }
        assertThat(count).as("transfers in the read model").isEqualTo(transfers);
        assertThat(distinct).isEqualTo(count);
    }

    /** A random pause, so the kill lands at a different point of the snapshot on each run. */
    private static final class ThreadLocalRandomHolder {
        static long between(int fromMillis, int toMillis) {
            return java.util.concurrent.ThreadLocalRandom.current().nextLong(fromMillis, toMillis);
        }
    }
}
