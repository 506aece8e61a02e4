package com.fanzfinance.ledger.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.fanzfinance.ledger.command.PendingStatus;

/** Pending statuses and the (expires-at, sequence) expiry heap of {@link PendingTransfers}. */
class PendingTransfersTest {
    private final PendingTransfers pending = new PendingTransfers();

    private record Expiry(long expiresAt, long sequence) {
    }

    @Test
    void anUnknownSequenceHasStatusNone() {
        assertThat(pending.status(42)).isEqualTo(PendingStatus.NONE);
        assertThat(pending.statusCode(42)).isZero();
        assertThat(pending.count()).isZero();
    }

    @Test
    void statusesAreKeptPerSequenceAndCanBeChanged() {
        pending.setStatus(1, PendingStatus.PENDING);
        pending.setStatus(2, PendingStatus.PENDING);
        pending.setStatus(3, PendingStatus.EXPIRED);

        pending.setStatus(2, PendingStatus.POSTED);

        assertThat(pending.status(1)).isEqualTo(PendingStatus.PENDING);
        assertThat(pending.status(2)).isEqualTo(PendingStatus.POSTED);
        assertThat(pending.statusCode(2)).isEqualTo(PendingStatus.POSTED.code());
        assertThat(pending.status(3)).isEqualTo(PendingStatus.EXPIRED);
        assertThat(pending.count()).isEqualTo(3);
    }

    @Test
    void settingStatusNoneRemovesTheEntry() {
        pending.setStatus(1, PendingStatus.PENDING);
        pending.setStatus(2, PendingStatus.VOIDED);

        pending.setStatus(1, PendingStatus.NONE);

        assertThat(pending.count()).isEqualTo(1);
        assertThat(pending.status(1)).isEqualTo(PendingStatus.NONE);
        assertThat(pending.status(2)).isEqualTo(PendingStatus.VOIDED);
        assertThat(pending.sortedEntries()).containsExactly(2, PendingStatus.VOIDED.code());
    }

    @Test
    void settingStatusNoneForAnUnknownSequenceIsHarmless() {
        pending.setStatus(5, PendingStatus.NONE);

        assertThat(pending.count()).isZero();
        assertThat(pending.sortedEntries()).isEmpty();
    }

    @Test
    void sortedEntriesListsSequenceAndStatusPairsInAscendingSequenceOrder() {
        Random random = new Random(1);
        PendingStatus[] statuses = {PendingStatus.PENDING, PendingStatus.POSTED, PendingStatus.VOIDED, PendingStatus.EXPIRED};
        long[] expectedStatus = new long[5_000];
        for (int i = 0; i < 3_000; i++) {
            int sequence = random.nextInt(expectedStatus.length);
            PendingStatus status = statuses[random.nextInt(statuses.length)];
            pending.setStatus(sequence, status);
            expectedStatus[sequence] = status.code();
        }

        long[] entries = pending.sortedEntries();

        List<Long> expected = new ArrayList<>();
        for (int sequence = 0; sequence < expectedStatus.length; sequence++) {
            if (expectedStatus[sequence] != 0) {
                expected.add((long) sequence);
                expected.add(expectedStatus[sequence]);
            }
        }
        assertThat(entries).containsExactly(expected.stream().mapToLong(Long::longValue).toArray());
        assertThat(entries.length).isEqualTo(2 * pending.count());
    }

    @Test
    void expiryHeapPopsInExpiresAtThenSequenceOrder() {
        Random random = new Random(2);
        List<Expiry> scheduled = new ArrayList<>();
        for (long sequence = 0; sequence < 5_000; sequence++) {
            Expiry expiry = new Expiry(1_000 + random.nextInt(300), random.nextInt(1_000_000));
            scheduled.add(expiry);
            pending.scheduleExpiry(expiry.expiresAt(), expiry.sequence());
        }
        assertThat(pending.scheduledCount()).isEqualTo(5_000);

        List<Expiry> popped = new ArrayList<>();
        while (pending.scheduledCount() > 0) {
            popped.add(new Expiry(pending.earliestExpiresAt(), pending.earliestSequence()));
            pending.removeEarliest();
        }

        scheduled.sort(Comparator.comparingLong(Expiry::expiresAt).thenComparingLong(Expiry::sequence));
        assertThat(popped).containsExactlyElementsOf(scheduled);
    }

    @Test
    void expiryHeapOrdersInterleavedSchedulingAndRemoval() {
        Random random = new Random(3);
        List<Expiry> outstanding = new ArrayList<>();
        Comparator<Expiry> order = Comparator.comparingLong(Expiry::expiresAt).thenComparingLong(Expiry::sequence);
        for (long sequence = 0; sequence < 4_000; sequence++) {
            Expiry expiry = new Expiry(random.nextInt(50), sequence);
            outstanding.add(expiry);
            pending.scheduleExpiry(expiry.expiresAt(), expiry.sequence());
            if (random.nextInt(3) == 0) {
                Expiry earliest = outstanding.stream().min(order).orElseThrow();
                assertThat(new Expiry(pending.earliestExpiresAt(), pending.earliestSequence())).isEqualTo(earliest);
                pending.removeEarliest();
                outstanding.remove(earliest);
            }
        }

        assertThat(pending.scheduledCount()).isEqualTo(outstanding.size());
        outstanding.sort(order);
        for (Expiry expected : outstanding) {
            assertThat(new Expiry(pending.earliestExpiresAt(), pending.earliestSequence())).isEqualTo(expected);
            pending.removeEarliest();
        }
        assertThat(pending.scheduledCount()).isZero();
    }

    @Test
    void hasExpiryAtOrBeforeComparesWithTheEarliestDeadline() {
        assertThat(pending.hasExpiryAtOrBefore(Long.MAX_VALUE)).isFalse();

        pending.scheduleExpiry(500, 2);
        pending.scheduleExpiry(300, 9);
        pending.scheduleExpiry(300, 4);

        assertThat(pending.hasExpiryAtOrBefore(299)).isFalse();
        assertThat(pending.hasExpiryAtOrBefore(300)).isTrue();
        assertThat(pending.earliestSequence()).isEqualTo(4);

        pending.removeEarliest();
        assertThat(pending.hasExpiryAtOrBefore(300)).isTrue();
        assertThat(pending.earliestSequence()).isEqualTo(9);

        pending.removeEarliest();
        assertThat(pending.hasExpiryAtOrBefore(300)).isFalse();
        assertThat(pending.hasExpiryAtOrBefore(500)).isTrue();

        pending.removeEarliest();
        assertThat(pending.hasExpiryAtOrBefore(Long.MAX_VALUE)).isFalse();
    }

    @Test
    void heapSnapshotArraysHoldExactlyTheScheduledEntries() {
        pending.scheduleExpiry(30, 1);
        pending.scheduleExpiry(10, 2);
        pending.scheduleExpiry(20, 3);

        long[] expiresAt = pending.heapExpiresAt();
        long[] sequences = pending.heapSequences();

        assertThat(expiresAt).hasSize(3).containsExactlyInAnyOrder(10, 20, 30);
        assertThat(expiresAt[0]).isEqualTo(10);
        assertThat(sequences[0]).isEqualTo(2);
        for (int i = 0; i < 3; i++) {
            assertThat(sequences[i]).isEqualTo(switch ((int) expiresAt[i]) {
                case 10 -> 2L;
                case 20 -> 3L;
                default -> 1L;
            });
        }
    }
}
