package com.fanzfinance.ledger.state;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Appending, reading back and truncating the ids kept by {@link FailedTransferIds}. */
class FailedTransferIdsTest {
    /** 4 KiB pages hold 128 ids, so a thousand ids span several pages. */
    private static final int IDS = 1_000;

    @Test
    void appendReturnsConsecutiveOrdinalsAndBothHalvesReadBackAcrossPages() {
        try (FailedTransferIds ids = new FailedTransferIds(PagedMemory.inMemory(12))) {
            for (int i = 0; i < IDS; i++) {
                assertThat(ids.append(IdHash.hash(i, 1), -i, i % 7)).isEqualTo(i);
            }

            assertThat(ids.count()).isEqualTo(IDS);
            assertThat(ids.memory().capacityBytes()).isEqualTo(8L * 4096);
            for (int i = 0; i < IDS; i++) {
                assertThat(ids.idLow(i)).isEqualTo(IdHash.hash(i, 1));
                assertThat(ids.idHigh(i)).isEqualTo(-i);
                assertThat(ids.owner(i)).isEqualTo(i % 7);
            }
        }
    }

    @Test
    void truncateForgetsTheNewestIdsAndLaterAppendsReuseTheirOrdinals() {
        try (FailedTransferIds ids = new FailedTransferIds(PagedMemory.inMemory(12))) {
            for (int i = 0; i < IDS; i++) {
                ids.append(i, i, 1);
            }

            ids.truncate(300);

            assertThat(ids.count()).isEqualTo(300);
            assertThat(ids.append(-5, -6, Integer.MAX_VALUE)).isEqualTo(300);
            assertThat(ids.idLow(300)).isEqualTo(-5);
            assertThat(ids.idHigh(300)).isEqualTo(-6);
            assertThat(ids.owner(300)).isEqualTo(Integer.MAX_VALUE);
            assertThat(ids.idLow(299)).isEqualTo(299);
            assertThat(ids.count()).isEqualTo(301);
        }
    }
}
