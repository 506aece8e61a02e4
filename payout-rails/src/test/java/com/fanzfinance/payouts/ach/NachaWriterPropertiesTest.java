package com.fanzfinance.payouts.ach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fanzfinance.payouts.ach.NachaDocument.Batch;
import com.fanzfinance.payouts.ach.NachaDocument.Entry;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Random valid specs (seeded by jqwik) are written, then read back: the entries, the offset, the
 * service classes, hashes and totals recomputed here must all come back; every line is 94
 * characters and the line count a multiple of 10. A spec whose offset would have to be a credit, or
 * would exceed the 10-digit amount field, is rejected instead.
 */
class NachaWriterPropertiesTest {

    @Property(tries = 300)
    void writtenFilesReadBackEqual(@ForAll long seed) throws Exception {
        NachaFileSpec spec = new RandomSpecs(seed, false).file();
        String offsetProblem = firstOffsetProblem(spec);
        if (offsetProblem != null) {
            assertThatThrownBy(() -> NachaWriter.write(spec)).isInstanceOf(NachaSpecException.class)
                    .hasMessageContaining(offsetProblem);
            return;
        }
        String text = NachaWriter.write(spec);

        List<String> lines = AchSamples.lines(text);
        assertThat(lines).allSatisfy(line -> assertThat(line).hasSize(94));
        assertThat(lines.size() % 10).isZero();
        NachaDocument document = NachaReader.read(text);
        assertThat(document.batches()).hasSameSizeAs(spec.batches());
        long fileHash = 0;
        long fileDebits = 0;
        long fileCredits = 0;
        int fileCount = 0;
        for (int i = 0; i < spec.batches().size(); i++) {
            NachaBatchSpec expected = spec.batches().get(i);
            Batch actual = document.batches().get(i);
            assertBatchHeader(expected, actual);
            List<Entry> entries = actual.entries();
            for (int j = 0; j < expected.entries().size(); j++) {
                assertEntry(expected.entries().get(j), entries.get(j));
            }
            long net = net(expected.entries());
            boolean offsetWritten = expected.offset() != null && net > 0;
            assertThat(entries).hasSize(expected.entries().size() + (offsetWritten ? 1 : 0));
            if (offsetWritten) {
                assertOffset(expected, entries.get(entries.size() - 1), net);
            }
            long hash = 0;
            long debits = 0;
            long credits = 0;
            for (Entry entry : entries) {
                hash += Long.parseLong(entry.rdfiIdentification());
                boolean debit = entry.transactionCode() % 10 >= 5;
                debits += debit ? entry.amountCents() : 0;
                credits += debit ? 0 : entry.amountCents();
            }
            assertThat(actual.control().entryHash()).isEqualTo(hash % 10_000_000_000L);
            assertThat(actual.control().totalDebitCents()).isEqualTo(debits);
            assertThat(actual.control().totalCreditCents()).isEqualTo(credits);
            assertThat(actual.control().entryAddendaCount()).isEqualTo(entries.size());
            assertThat(actual.serviceClass()).isEqualTo(serviceClass(entries));
            fileHash += hash;
            fileDebits += debits;
            fileCredits += credits;
            fileCount += entries.size();
        }
        assertThat(document.control()).isEqualTo(new NachaDocument.FileControl(lines.size() - countFiller(lines),
                spec.batches().size(), lines.size() / 10, fileCount, fileHash % 10_000_000_000L, fileDebits,
                fileCredits));
    }

    private static void assertBatchHeader(NachaBatchSpec expected, Batch actual) {
        assertThat(actual.secCode()).isEqualTo(expected.secCode());
        assertThat(actual.companyName()).isEqualTo(normalized(expected.companyName()));
        assertThat(actual.companyIdentification()).isEqualTo(normalized(expected.companyIdentification()));
        assertThat(actual.entryDescription()).isEqualTo(normalized(expected.entryDescription()));
        assertThat(actual.odfiIdentification()).isEqualTo(expected.odfiIdentification());
        assertThat(actual.batchNumber()).isEqualTo(expected.batchNumber());
        assertThat(actual.effectiveDate()).isEqualTo(String.format(Locale.ROOT, "%02d%02d%02d",
                expected.effectiveDate().getYear() % 100, expected.effectiveDate().getMonthValue(),
                expected.effectiveDate().getDayOfMonth()));
    }

    private static void assertEntry(NachaEntry expected, Entry actual) {
        assertThat(actual.transactionCode()).isEqualTo(expected.transactionCode());
        assertThat(actual.routingNumber()).isEqualTo(expected.routingNumber());
        assertThat(actual.accountNumber()).isEqualTo(normalized(expected.accountNumber()));
        assertThat(actual.amountCents()).isEqualTo(expected.amountCents());
        assertThat(actual.identificationNumber()).isEqualTo(normalized(expected.identificationNumber()));
        assertThat(actual.name()).isEqualTo(normalized(expected.name()));
        assertThat(actual.discretionaryData()).isEqualTo(normalized(expected.discretionaryData()));
        assertThat(actual.traceNumber()).isEqualTo(expected.traceNumber());
        assertThat(actual.hasAddenda()).isFalse();
    }

    private static void assertOffset(NachaBatchSpec expected, Entry offset, long net) {
        assertThat(offset.transactionCode()).isEqualTo(expected.offset().savings() ? 37 : 27);
        assertThat(offset.routingNumber()).isEqualTo(expected.offset().routingNumber());
        assertThat(offset.accountNumber()).isEqualTo(normalized(expected.offset().accountNumber()));
        assertThat(offset.amountCents()).isEqualTo(net);
        String lastTrace = expected.entries().get(expected.entries().size() - 1).traceNumber();
        assertThat(offset.traceNumber()).isEqualTo(expected.odfiIdentification()
                + String.format(Locale.ROOT, "%07d", Long.parseLong(lastTrace.substring(8)) + 1));
    }

    /** The message part expected for the first batch whose offset cannot be written, or null. */
    private static String firstOffsetProblem(NachaFileSpec spec) {
        for (int i = 0; i < spec.batches().size(); i++) {
            NachaBatchSpec batch = spec.batches().get(i);
            long net = net(batch.entries());
            if (batch.offset() != null && net < 0) {
                return "batches[" + i + "].offset: the entries' debits exceed their credits";
            }
            if (batch.offset() != null && net > NachaWriter.MAX_AMOUNT_CENTS) {
                return "batches[" + i + "].offset.amountCents: must be 0 to 9999999999 cents";
            }
        }
        return null;
    }

    private static String serviceClass(List<Entry> entries) {
        boolean debits = entries.stream().anyMatch(entry -> entry.transactionCode() % 10 >= 5);
        boolean credits = entries.stream().anyMatch(entry -> entry.transactionCode() % 10 < 5);
        return debits && credits ? "200" : debits ? "225" : "220";
    }

    private static long net(List<NachaEntry> entries) {
        return entries.stream()
                .mapToLong(entry -> entry.transactionCode() % 10 >= 5 ? -entry.amountCents() : entry.amountCents())
                .sum();
    }

    private static int countFiller(List<String> lines) {
        return (int) lines.stream().filter(line -> line.equals("9".repeat(94))).count();
    }

    private static String normalized(String text) {
        return text.toUpperCase(Locale.ROOT).strip();
    }
}
