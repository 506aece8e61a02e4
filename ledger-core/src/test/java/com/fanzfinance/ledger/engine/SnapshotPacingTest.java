package com.fanzfinance.ledger.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Automatic snapshots wait 100 times the last capture's pause after it, so captures stay near 1% of the time, and
 * none is taken while another is still being written.
 */
class SnapshotPacingTest {
    @Test
    void theFirstSnapshotMayComeAtOnceAndEachLaterOneAfterAHundredTimesTheLastPause() {
        EngineHealth health = new EngineHealth();
        assertThat(health.automaticSnapshotAllowed(System.nanoTime())).isTrue();

        health.recordSnapshot(20_000_000L);
        long ended = System.nanoTime();
        assertThat(health.automaticSnapshotAllowed(ended)).isFalse();
        assertThat(health.automaticSnapshotAllowed(ended + 1_500_000_000L)).isFalse();
        assertThat(health.automaticSnapshotAllowed(ended + 2_000_000_001L)).isTrue();

        health.recordSnapshot(1_000L);
        assertThat(health.automaticSnapshotAllowed(System.nanoTime() + 100_001L)).isTrue();
    }

    @Test
    void noAutomaticSnapshotWhileOneIsBeingWrittenAndFailedWritesAreCounted() {
        EngineHealth health = new EngineHealth();
        health.snapshotWriteStarted();
        assertThat(health.automaticSnapshotAllowed(System.nanoTime())).as("the first one still being written").isFalse();
        health.snapshotWriteStarted();
        health.snapshotWriteEnded(null);
        assertThat(health.automaticSnapshotAllowed(System.nanoTime())).as("one of two still being written").isFalse();
        health.snapshotWriteEnded(new java.io.UncheckedIOException(new java.io.IOException("disk full")));
        assertThat(health.automaticSnapshotAllowed(System.nanoTime())).isTrue();
        assertThat(health.snapshotFailures()).isEqualTo(1);
    }
}
