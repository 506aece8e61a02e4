package com.fanzfinance.ledger.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.ledger.journal.Durability;
import com.fanzfinance.ledger.testing.CrashTestChild;

/**
 * Kills a real engine process with SIGKILL at random moments while transfers stream into it, many times
 * over, and after every restart checks that every acknowledged transfer is there, that balances equal the
 * transfers they are made of, and that retrying the unacknowledged batches (same ids) gives only
 * {@code created} or {@code exists}, never a second posting. {@code -Dcrash.kills=N} sets the number of
 * kills (20 by default; the {@code soak} profile runs 200).
 */
class CrashRecoveryTest {
    private static final long TIMEOUT_SECONDS = 60;
    /** Batches sent but not yet acknowledged, at most: several are always in flight when the kill comes. */
    private static final int IN_FLIGHT_MAX = 16;

    @TempDir
    Path data;

    @Test
    void acknowledgedTransfersSurviveSigkillFsync() throws Exception {
        run(Durability.FSYNC, Integer.getInteger("crash.kills", 20), 1);
    }

    /** Ids that look random, and a snapshot before each kill: each restart rebuilds the id index region by region. */
    @Test
    void acknowledgedTransfersSurviveSigkillOs() throws Exception {
        run(Durability.OS, Math.max(5, Integer.getInteger("crash.kills", 20) / 4), 2, true);
    }

    /**
     * A kill soon after a snapshot, before the transfer store's stage of appends ({@code TransferStore.STAGE_RECORDS})
     * filled: the restart restores that snapshot, so the file must hold the records it counts although no full stage
     * wrote them out — the capture writes the stage (in the scrambled run above, later appends always filled it).
     */
    @Test
    void aKillSoonAfterASnapshotTakenMidStageLosesNoTransfer() throws Exception {
        Map<Long, Integer> acknowledged = new LinkedHashMap<>();
        try (Child child = Child.start(data, Durability.FSYNC, true)) {
            for (long first = 1; first <= 3_000; first += 500) {
                child.send("T " + first + " 500");
                assertThat(child.next("A " + first + " ")).isEqualTo("A " + first + " 500 500 0 0");
                acknowledged.put(first, 500);
            }
            assertThat(child.ask("S")).isEqualTo("S ok");
            child.send("T 3001 100");
            assertThat(child.next("A 3001 ")).isEqualTo("A 3001 100 100 0 0");
            acknowledged.put(3001L, 100);
            child.kill();
        }
        try (Child child = Child.start(data, Durability.FSYNC, true)) {
            assertThat(child.startedFromSnapshot()).as("restarted from the snapshot").isTrue();
            checkAcknowledged(child, acknowledged);
            assertThat(child.ask("V")).isEqualTo("V ok " + total(acknowledged));
            assertThat(child.ask("I")).isEqualTo("I ok " + total(acknowledged));
        }
    }

    private void run(Durability durability, int kills, long seed) throws Exception {
        run(durability, kills, seed, false);
    }

    private void run(Durability durability, int kills, long seed, boolean scrambled) throws Exception {
        Random random = new Random(seed);
        Map<Long, Integer> acknowledged = new LinkedHashMap<>();
        Map<Long, Integer> unacknowledged = new LinkedHashMap<>();
        long nextId = 1;
        int fromSnapshots = 0;
        for (int round = 0; round <= kills; round++) {
            try (Child child = Child.start(data, durability, scrambled)) {
                if (child.startedFromSnapshot()) {
                    fromSnapshots++;
                }
                checkAcknowledged(child, acknowledged);
                retry(child, unacknowledged, acknowledged);
                assertThat(child.ask("V")).as("after restart %d", round).isEqualTo("V ok " + total(acknowledged));
                if (round < kills) {
                    if (scrambled) {
                        assertThat(child.ask("S")).isEqualTo("S ok"); // the next start: this snapshot, then the journal
                    }
                    nextId = streamUntilKilled(child, random, nextId, acknowledged, unacknowledged);
                } else {
                    assertThat(child.ask("I")).as("each account's index after the last restart")
                        .isEqualTo("I ok " + total(acknowledged));
                }
            }
        }
        assertThat(total(acknowledged)).isGreaterThan(kills);
        if (scrambled) {
            assertThat(fromSnapshots).as("restarts from a snapshot (each rebuilt the id index from its transfers)")
                .isEqualTo(kills);
        }
    }

    private static long total(Map<Long, Integer> batches) {
        long total = 0;
        for (int count : batches.values()) {
            total += count;
        }
        return total;
    }

    /** Asks for the acknowledged ids as contiguous ranges (batches are numbered consecutively). */
    private static void checkAcknowledged(Child child, Map<Long, Integer> acknowledged) throws Exception {
        List<Long> firsts = new ArrayList<>(acknowledged.keySet());
        java.util.Collections.sort(firsts);
        int i = 0;
        while (i < firsts.size()) {
            long start = firsts.get(i);
            long end = start + acknowledged.get(start);
            while (++i < firsts.size() && firsts.get(i) == end) {
                end += acknowledged.get(firsts.get(i));
            }
            String answer = child.ask("C " + start + " " + (end - start));
            assertThat(answer).as("acknowledged transfers %d..%d are all there", start, end - 1)
                .isEqualTo("C " + start + " " + (end - start) + " 0");
        }
    }

    /** Resubmits every unacknowledged batch with the same ids: each transfer must be created or already exist. */
    private static void retry(Child child, Map<Long, Integer> unacknowledged, Map<Long, Integer> acknowledged)
        throws Exception {
        for (Map.Entry<Long, Integer> batch : unacknowledged.entrySet()) {
            child.send("T " + batch.getKey() + " " + batch.getValue());
            String answer = child.next("A " + batch.getKey() + " ");
            String[] parts = answer.split(" ");
            assertThat(Integer.parseInt(parts[3]) + Integer.parseInt(parts[4])).as("created or exists: " + answer)
                .isEqualTo(batch.getValue());
            assertThat(parts[5]).as("nothing else: " + answer).isEqualTo("0");
            acknowledged.put(batch.getKey(), batch.getValue());
        }
        unacknowledged.clear();
    }

    private static long streamUntilKilled(Child child, Random random, long nextId, Map<Long, Integer> acknowledged,
                                          Map<Long, Integer> unacknowledged) throws Exception {
        long killAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100 + random.nextInt(450));
        List<long[]> inFlight = new ArrayList<>();
        while (System.nanoTime() < killAt) {
            if (inFlight.size() < IN_FLIGHT_MAX) {
                // Mostly small batches, some large: the journal grows with every round and each restart replays it,
                // so the mix keeps the restarts quick (with half the batches large the test took 65–75 s here, against 53 s).
                int count = 1 + random.nextInt(random.nextInt(8) == 0 ? 500 : 20);
                child.send("T " + nextId + " " + count);
                inFlight.add(new long[] {nextId, count});
                nextId += count;
            } else {
                Thread.sleep(1);
            }
            drainAcks(child, inFlight, acknowledged);
        }
        child.kill();
        drainAcks(child, inFlight, acknowledged);
        for (long[] batch : inFlight) {
            unacknowledged.put(batch[0], (int) batch[1]);
        }
        return nextId;
    }

    private static void drainAcks(Child child, List<long[]> inFlight, Map<Long, Integer> acknowledged) {
        String line;
        while ((line = child.poll()) != null) {
            if (!line.startsWith("A ")) {
                continue;
            }
            String[] parts = line.split(" ");
            long first = Long.parseLong(parts[1]);
            int count = Integer.parseInt(parts[2]);
            assertThat(parts[3]).as("fresh transfers are created: " + line).isEqualTo(parts[2]);
            acknowledged.put(first, count);
            inFlight.removeIf(batch -> batch[0] == first);
        }
    }

    /** A child JVM running {@link CrashTestChild}. */
    private static final class Child implements AutoCloseable {
        private final Process process;
        private final Writer input;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        /** {@code READY commandsReplayed snapshotUsed}. */
        private String ready;

        private Child(Process process) {
            this.process = process;
            this.input = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(this::readLines, "crash-child-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        static Child start(Path data, Durability durability, boolean scrambled) throws Exception {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (argument.startsWith("--add-") || argument.startsWith("--enable-native-access")
                    || argument.startsWith("--sun-misc") || argument.startsWith("-Dchronicle")) {
                    command.add(argument);
                }
            }
            command.add("-Xmx512m");
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(CrashTestChild.class.getName());
            command.add(data.toString());
            command.add(durability.name());
            if (scrambled) {
                command.add("scrambled");
            }
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            Child child = new Child(process);
            child.ready = child.next("READY");
            return child;
        }

        boolean startedFromSnapshot() {
            return ready.endsWith(" true");
        }

        void send(String line) throws IOException {
            input.write(line + "\n");
            input.flush();
        }

        String ask(String line) throws Exception {
            send(line);
            return next(line.substring(0, 1) + " ");
        }

        /** The next line starting with {@code prefix}; other lines (acks of earlier batches) are dropped. */
        String next(String prefix) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (true) {
                String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new AssertionError("the child did not answer '" + prefix + "' in time");
                }
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
        }

        String poll() {
            return lines.poll();
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Thread.sleep(50);
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        }

        private void readLines() {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process died; the test notices through missing answers
            }
        }
    }
}
