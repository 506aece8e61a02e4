package com.fanzfinance.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import com.fanzfinance.ledger.command.CreateAccountStatus;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.ResultLayout;

/** The create-status counters count every event of a batch once, whatever runs of equal statuses it holds. */
class ServerMetricsTest {
    @Test
    void everyStatusOfABatchIsCountedOnce() {
        CreateTransferStatus[] statuses = {CreateTransferStatus.EXISTS, CreateTransferStatus.CREATED,
            CreateTransferStatus.CREATED, CreateTransferStatus.LINKED_EVENT_FAILED, CreateTransferStatus.CREATED,
            CreateTransferStatus.EXISTS, CreateTransferStatus.EXISTS};
        UnsafeBuffer results = new UnsafeBuffer(new byte[statuses.length * ResultLayout.SIZE]);
        for (int i = 0; i < statuses.length; i++) {
            results.putInt(i * ResultLayout.SIZE + ResultLayout.STATUS, statuses[i].codeBits());
        }
        try (ServerMetrics metrics = new ServerMetrics()) {
            metrics.recordTransfers(results, statuses.length);
            metrics.recordTransfers(results, 2); // only the first two of these
            metrics.recordTransfers(results, 0);
            UnsafeBuffer accounts = new UnsafeBuffer(new byte[ResultLayout.SIZE]);
            accounts.putInt(ResultLayout.STATUS, CreateAccountStatus.CREATED.codeBits());
            metrics.recordAccounts(accounts, 1);
            String scraped = metrics.scrape();
            assertThat(scraped).contains("fanz_ledger_transfers_total{status=\"created\"} 4.0",
                "fanz_ledger_transfers_total{status=\"exists\"} 4.0",
                "fanz_ledger_transfers_total{status=\"linked_event_failed\"} 1.0",
                "fanz_ledger_accounts_total{status=\"created\"} 1.0");
        }
    }
}
