package com.fanzfinance.ledger.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.ledger.config.StateMachineConfig;
import com.fanzfinance.ledger.engine.CommandOutcome;
import com.fanzfinance.ledger.engine.LedgerEngine;

/**
 * Three members in one JVM: writes through any member, the same state on all, a snapshot, a restart from it,
 * and a member whose directory is lost rebuilt from the others.
 */
class InProcessClusterTest {
    static final int CREATED = 0xFFFF_FFFF;

    @TempDir
    Path directory;

    @Test
    void threeMembersApplyTheSameLogAndAMemberRestartsFromItsSnapshot() throws Exception {
        // below 32768, where Linux starts handing out ephemeral ports to outgoing connections
        int basePort = 21_000 + (int) (ProcessHandle.current().pid() % 380) * 30;
        List<String> hosts = List.of("localhost", "localhost", "localhost");
        List<ClusteredLedger> members = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                members.add(start(ClusterSettings.of(i, hosts, basePort, directory.resolve("node-" + i))));
            }
            UnsafeBuffer results = new UnsafeBuffer(new byte[8189 * 16]);
            CommandOutcome accounts = LedgerEngine.join(members.get(0).submitAccounts(ClusterRecords.accounts(1, 100), 0,
                100, null, 0, null, 0, 0, results, 0));
            assertThat(accounts).isEqualTo(CommandOutcome.APPLIED);
            assertThat(ClusterRecords.status(results, 99)).isEqualTo(CREATED);
            long id = 1_000;
            for (int round = 0; round < 20; round++) {
                ClusteredLedger via = members.get(round % 3);
                LedgerEngine.join(via.submitTransfers(ClusterRecords.transfers(id, 500, 1, 100, 3), 0, 500, null, 0, 0,
                    results, 0));
                assertThat(ClusterRecords.status(results, 0)).isEqualTo(CREATED);
                id += 500;
            }
            // a retry is "exists", through another member
            LedgerEngine.join(members.get(2).submitTransfers(ClusterRecords.transfers(1_000, 10, 1, 100, 3), 0, 10, null,
                0, 0, results, 0));
            assertThat(ClusterRecords.status(results, 0)).isNotEqualTo(CREATED);
            // reads on a member see the writes it had acknowledged
            assertThat(members.get(1).<Long>read(m -> m.transferCount())).isEqualTo(10_000L);
            awaitSameHashes(members);

            LedgerEngine.join(members.get(1).snapshot());
            // the answer comes once member 1's snapshot is recorded (a restart would load it) ...
            assertThat(members.get(1).node().snapshotsRecorded()).isEqualTo(1L);
            // ... but member 2 takes its own in its own time: it must have recorded it before it stops, or it
            // restarts from the log alone and takes the snapshot again while catching up
            awaitSnapshotRecorded(members);
            members.get(2).close();
            for (int round = 0; round < 5; round++) {
                LedgerEngine.join(members.get(0).submitTransfers(ClusterRecords.transfers(id, 100, 1, 100, 5), 0, 100,
                    null, 0, 0, results, 0));
                id += 100;
            }
            members.set(2, start(ClusterSettings.of(2, hosts, basePort, directory.resolve("node-2"))));
            awaitSameHashes(members);
            assertThat(members.get(2).<Long>read(m -> m.transferCount())).isEqualTo(10_500L);
            assertThat(members.get(2).node().snapshotsTaken()).isZero();

            // a member whose disk is lost comes back empty and rebuilds from the others
            members.get(1).close();
            deleteTree(directory.resolve("node-1"));
            LedgerEngine.join(members.get(0).submitTransfers(ClusterRecords.transfers(id, 100, 1, 100, 7), 0, 100,
                null, 0, 0, results, 0));
            members.set(1, start(ClusterSettings.of(1, hosts, basePort, directory.resolve("node-1"))));
            awaitSameHashes(members);
            assertThat(members.get(1).<Long>read(m -> m.transferCount())).isEqualTo(10_600L);
        } finally {
            for (ClusteredLedger member : members) {
                member.close();
            }
        }
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        try (var paths = java.nio.file.Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.delete(path);
            }
        }
    }

    private static ClusteredLedger start(ClusterSettings settings) {
        return ClusteredLedger.start(settings.withSnapshotInterval(Duration.ZERO), StateMachineConfig.inMemory(),
            Duration.ofSeconds(10), Duration.ofSeconds(60));
    }

    private static void awaitSnapshotRecorded(List<ClusteredLedger> members) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!members.stream().allMatch(member -> member.node().snapshotsRecorded() >= 1)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("snapshots recorded: "
                    + members.stream().map(member -> member.node().snapshotsRecorded()).toList());
            }
            Thread.sleep(20);
        }
    }

    private static void awaitSameHashes(List<ClusteredLedger> members) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<ReplicaHashes> hashes = new ArrayList<>();
            for (ClusteredLedger member : members) {
                hashes.add(LedgerEngine.join(member.hashes()));
            }
            boolean same = hashes.stream().allMatch(h -> h.appliedCommands() == hashes.get(0).appliedCommands()
                && h.stateHashHex().equals(hashes.get(0).stateHashHex())
                && h.chainHeadHex().equals(hashes.get(0).chainHeadHex()));
            if (same) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("members differ: " + hashes.stream().map(h -> h.appliedCommands() + " "
                    + h.chainHeadHex().substring(0, 12) + " " + h.stateHashHex().substring(0, 12)).toList());
            }
            Thread.sleep(100);
        }
    }
}
