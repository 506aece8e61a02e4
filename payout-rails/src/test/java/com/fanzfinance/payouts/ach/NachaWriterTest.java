package com.fanzfinance.payouts.ach;

import static com.fanzfinance.payouts.ach.AchSamples.batch;
import static com.fanzfinance.payouts.ach.AchSamples.credit;
import static com.fanzfinance.payouts.ach.AchSamples.file;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fanzfinance.payouts.ach.NachaDocument.Batch;
import com.fanzfinance.payouts.ach.NachaDocument.Entry;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class NachaWriterTest {

    static final NachaOffset OFFSET = new NachaOffset("121042882", "100200300", false, "FanzFinance Payouts");

    /** PPD: 150.00 to checking at 231380104 and 25.00 to savings at 091400606; CCD: 10,000.00 to a business. */
    static NachaFileSpec payouts(NachaOffset offset) {
        return file(List.of(
                batch("PPD", 1, List.of(
                        credit(22, "231380104", "987654321", 15_000, "Jane Creator", "121042880000001"),
                        credit(32, "091400606", "55-1234", 2_500, "Sam Affiliate", "121042880000002")), offset),
                batch("CCD", 2, List.of(
                        credit(22, "121042882", "ACME-77", 1_000_000, "Acme Studios LLC", "121042880000101")),
                        offset)));
    }

    @Test
    void recordsAreWrittenAtTheirPositions() {
        List<String> lines = AchSamples.lines(NachaWriter.write(payouts(null)));

        assertThat(lines.get(0)).isEqualTo("101 231380104 1210428822607031605A094101"
                + "FEDERAL RESERVE BANK   " + "FANZFINANCE INC        " + "        ");
        assertThat(lines.get(1)).isEqualTo("5220" + "FANZFINANCE     " + " ".repeat(20) + "1234567890" + "PPD"
                + "PAYOUT    " + "      " + "260706" + "   " + "1" + "12104288" + "0000001");
        assertThat(lines.get(2)).isEqualTo("622231380104" + "987654321        " + "0000015000" + "PAYOUT-0000001 "
                + "JANE CREATOR          " + "  " + "0" + "121042880000001");
        assertThat(lines.get(3)).isEqualTo("632091400606" + "55-1234          " + "0000002500" + "PAYOUT-0000002 "
                + "SAM AFFILIATE         " + "  " + "0" + "121042880000002");
        assertThat(lines.get(4)).isEqualTo("8220" + "000002" + "0032278070" + "000000000000" + "000000017500"
                + "1234567890" + " ".repeat(25) + "12104288" + "0000001");
        assertThat(lines.get(5)).startsWith("5220FANZFINANCE").contains("CCDPAYOUT").endsWith("121042880000002");
        assertThat(lines.get(8)).isEqualTo("9" + "000002" + "000001" + "00000003" + "0044382358" + "000000000000"
                + "000001017500" + " ".repeat(39));
        assertThat(lines.get(9)).isEqualTo("9".repeat(94));
        assertThat(lines).hasSize(10).allSatisfy(line -> assertThat(line).hasSize(94));
    }

    @Test
    void outputIsLfSeparatedWithAFinalLf() {
        String text = NachaWriter.write(payouts(null));
        assertThat(text).endsWith("9".repeat(94) + "\n").doesNotContain("\r").hasSize(10 * 95);
    }

    @Test
    void roundTripWithoutOffset() throws Exception {
        NachaDocument document = NachaReader.read(NachaWriter.write(payouts(null)));

        assertThat(document.batches()).extracting(Batch::serviceClass).containsExactly("220", "220");
        assertThat(document.batches()).extracting(Batch::secCode).containsExactly("PPD", "CCD");
        assertThat(document.batches().get(0).entries()).extracting(Entry::name, Entry::amountCents, Entry::traceNumber)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("JANE CREATOR", 15_000L, "121042880000001"),
                        org.assertj.core.groups.Tuple.tuple("SAM AFFILIATE", 2_500L, "121042880000002"));
        assertThat(document.control()).isEqualTo(
                new NachaDocument.FileControl(9, 2, 1, 3, 44_382_358L, 0, 1_017_500L));
        assertThat(document.header().immediateDestination()).isEqualTo("231380104");
        assertThat(document.header().immediateOrigin()).isEqualTo("121042882");
    }

    @Test
    void offsetBalancesEachBatchWithADebit() throws Exception {
        String text = NachaWriter.write(payouts(OFFSET));
        NachaDocument document = NachaReader.read(text);

        assertThat(AchSamples.lines(text)).hasSize(20);
        Batch ppd = document.batches().get(0);
        assertThat(ppd.serviceClass()).isEqualTo("200");
        Entry offset = ppd.entries().get(2);
        assertThat(offset).isEqualTo(new Entry(5, 27, "12104288", '2', "100200300", 17_500, "",
                "FANZFINANCE PAYOUTS", "", false, "121042880000003", List.of()));
        assertThat(ppd.control().totalDebitCents()).isEqualTo(17_500).isEqualTo(ppd.control().totalCreditCents());
        assertThat(ppd.control().entryHash()).isEqualTo(32_278_070L + 12_104_288L);
        Batch ccd = document.batches().get(1);
        assertThat(ccd.entries().get(1).traceNumber()).isEqualTo("121042880000102");
        assertThat(ccd.entries().get(1).amountCents()).isEqualTo(1_000_000);
        assertThat(document.control().totalDebitCents()).isEqualTo(1_017_500)
                .isEqualTo(document.control().totalCreditCents());
        assertThat(document.control().blockCount()).isEqualTo(2);
        assertThat(AchSamples.lines(text).get(4)).isEqualTo("627121042882100200300        0000017500"
                + " ".repeat(15) + "FANZFINANCE PAYOUTS   " + "  0" + "121042880000003");
    }

    @Test
    void savingsOffsetUsesThirtySeven() throws Exception {
        NachaOffset savings = new NachaOffset("121042882", "9", true, "Treasury");
        NachaDocument document = NachaReader.read(NachaWriter.write(payouts(savings)));
        assertThat(document.batches().get(0).entries().get(2).transactionCode()).isEqualTo(37);
    }

    @Test
    void zeroNetBatchGetsNoOffsetEntry() throws Exception {
        NachaFileSpec prenotes = file(List.of(batch("PPD", 1, List.of(
                credit(23, "231380104", "987654321", 0, "Jane Creator", "121042880000001")), OFFSET)));
        NachaDocument document = NachaReader.read(NachaWriter.write(prenotes));
        assertThat(document.batches().get(0).entries()).hasSize(1);
        assertThat(document.batches().get(0).serviceClass()).isEqualTo("220");
    }

    @Test
    void debitsOnlyBatchIs225() throws Exception {
        NachaFileSpec debits = file(List.of(batch("CCD", 1, List.of(
                credit(27, "231380104", "987654321", 5, "Jane Creator", "121042880000001")), null)));
        NachaDocument document = NachaReader.read(NachaWriter.write(debits));
        assertThat(document.batches().get(0).serviceClass()).isEqualTo("225");
        assertThat(document.control().totalDebitCents()).isEqualTo(5);
    }

    @Test
    void offsetCannotBalanceNetDebits() {
        NachaFileSpec debits = file(List.of(batch("CCD", 1, List.of(
                credit(27, "231380104", "987654321", 5, "Jane Creator", "121042880000001")), OFFSET)));
        assertSpecRejected(debits, "batches[0].offset: the entries' debits exceed their credits by 5 cents");
    }

    @Test
    void offsetTraceMustBeUniqueToo() {
        NachaFileSpec spec = file(List.of(
                batch("PPD", 1, List.of(credit(22, "231380104", "1", 1, "A", "121042880000001")), OFFSET),
                batch("PPD", 2, List.of(credit(22, "231380104", "1", 1, "A", "121042880000002")), null)));
        assertSpecRejected(spec, "batches[1].entries[0].traceNumber: 121042880000002 is already used");
    }

    // ---- validation ------------------------------------------------------------------------------

    @Test
    void badRoutingCheckDigitIsNamed() {
        assertSpecRejected(withEntry(e -> new NachaEntry(22, "231380105", e.accountNumber(), 1, "", "A", "",
                e.traceNumber())), "batches[0].entries[0].routingNumber: check digit of 231380105 should be 4");
        assertSpecRejected(withEntry(e -> new NachaEntry(22, "23138010", e.accountNumber(), 1, "", "A", "",
                e.traceNumber())), "batches[0].entries[0].routingNumber: must be 9 digits");
    }

    @Test
    void tooLongFieldsAreNamed() {
        assertSpecRejected(withEntry(e -> new NachaEntry(22, e.routingNumber(), e.accountNumber(), 1, "",
                "A".repeat(23), "", e.traceNumber())), "batches[0].entries[0].name: at most 22 characters, was 23");
        assertSpecRejected(withEntry(e -> new NachaEntry(22, e.routingNumber(), "1".repeat(18), 1, "", "A", "",
                e.traceNumber())), "batches[0].entries[0].accountNumber: at most 17");
        assertSpecRejected(withEntry(e -> new NachaEntry(22, e.routingNumber(), e.accountNumber(), 1, "X".repeat(16),
                "A", "", e.traceNumber())), "batches[0].entries[0].identificationNumber: at most 15");
        assertSpecRejected(withEntry(e -> new NachaEntry(22, e.routingNumber(), e.accountNumber(), 1, "", "A", "ABC",
                e.traceNumber())), "batches[0].entries[0].discretionaryData: at most 2");
        NachaFileSpec longCompany = file(List.of(new NachaBatchSpec("PPD", "A".repeat(17), "", "1", "PAYOUT", "",
                LocalDate.of(2026, 7, 6), "12104288", 1, payouts(null).batches().get(0).entries(), null)));
        assertSpecRejected(longCompany, "batches[0].companyName: at most 16");
    }

    @Test
    void nonAsciiIsNamed() {
        assertSpecRejected(withEntry(e -> new NachaEntry(22, e.routingNumber(), e.accountNumber(), 1, "",
                "Zoë", "", e.traceNumber())), "batches[0].entries[0].name: character U+00EB at index 2");
        assertSpecRejected(withEntry(e -> new NachaEntry(22, e.routingNumber(), "12\n3", 1, "", "A", "",
                e.traceNumber())), "batches[0].entries[0].accountNumber: character U+000A");
    }

    @Test
    void amountsOutOfRangeAreNamed() {
        assertSpecRejected(withEntry(e -> new NachaEntry(22, e.routingNumber(), e.accountNumber(), -1, "", "A", "",
                e.traceNumber())), "batches[0].entries[0].amountCents: must be 0 to 9999999999 cents, was -1");
        assertSpecRejected(withEntry(e -> new NachaEntry(22, e.routingNumber(), e.accountNumber(), 10_000_000_000L,
                "", "A", "", e.traceNumber())), "amountCents: must be 0 to 9999999999 cents, was 10000000000");
        assertSpecRejected(withEntry(e -> new NachaEntry(23, e.routingNumber(), e.accountNumber(), 1, "", "A", "",
                e.traceNumber())), "prenote or zero-dollar code and needs amount 0");
    }

    @Test
    void maximumAmountIsWritten() throws Exception {
        NachaDocument document = NachaReader.read(NachaWriter.write(withEntry(e -> new NachaEntry(22,
                e.routingNumber(), e.accountNumber(), 9_999_999_999L, "", "A", "", e.traceNumber()))));
        assertThat(document.batches().get(0).entries().get(0).amountCents()).isEqualTo(9_999_999_999L);
    }

    @Test
    void badTracesAreNamed() {
        assertSpecRejected(withEntry(e -> new NachaEntry(22, e.routingNumber(), e.accountNumber(), 1, "", "A", "",
                "12104288000001")), "batches[0].entries[0].traceNumber: must be 15 digits");
        NachaFileSpec duplicate = file(List.of(
                batch("PPD", 1, List.of(credit(22, "231380104", "1", 1, "A", "121042880000001")), null),
                batch("CCD", 2, List.of(credit(22, "231380104", "2", 1, "B", "121042880000001")), null)));
        assertSpecRejected(duplicate, "batches[1].entries[0].traceNumber: 121042880000001 is already used");
    }

    @Test
    void unknownTransactionCodesAreNamed() {
        for (int code : new int[] {0, 20, 25, 30, 35, 57, 99, -22}) {
            assertSpecRejected(withEntry(e -> new NachaEntry(code, e.routingNumber(), e.accountNumber(), 0, "", "A",
                    "", e.traceNumber())), "batches[0].entries[0].transactionCode: unknown code " + code);
        }
    }

    @Test
    void fileAndBatchFieldsAreChecked() {
        NachaFileSpec good = payouts(null);
        assertSpecRejected(new NachaFileSpec("231380105", "X", "121042882", "Y", LocalDate.of(2026, 7, 3),
                LocalTime.NOON, 'A', "", good.batches()), "immediateDestination: check digit");
        assertSpecRejected(new NachaFileSpec("231380104", "X", "12104288", "Y", LocalDate.of(2026, 7, 3),
                LocalTime.NOON, 'A', "", good.batches()), "immediateOrigin: must be 9 digits or 10 characters");
        assertSpecRejected(new NachaFileSpec("231380104", "X", "121042882", "Y", LocalDate.of(2026, 7, 3),
                LocalTime.NOON, '*', "", good.batches()), "fileIdModifier");
        assertSpecRejected(new NachaFileSpec("231380104", "X", "121042882", "Y", null, LocalTime.NOON, 'A', "",
                good.batches()), "creationDate: missing");
        assertSpecRejected(new NachaFileSpec("231380104", "X", "121042882", "Y", LocalDate.of(2026, 7, 3),
                LocalTime.NOON, 'A', "", List.of()), "batches: a file needs at least one batch");
        List<NachaEntry> entries = good.batches().get(0).entries();
        assertSpecRejected(file(List.of(batch("WEB", 1, entries, null))), "batches[0].secCode: must be PPD or CCD");
        assertSpecRejected(file(List.of(batch("PPD", 0, entries, null))), "batches[0].batchNumber: must be 1");
        assertSpecRejected(file(List.of(batch("PPD", 2, entries, null), batch("CCD", 2,
                good.batches().get(1).entries(), null))), "batches[1].batchNumber: must ascend");
        assertSpecRejected(file(List.of(batch("PPD", 1, List.of(), null))), "batches[0].entries: a batch needs");
    }

    @Test
    void tenCharacterOriginIsWrittenAsIs() {
        NachaFileSpec spec = new NachaFileSpec("231380104", "X", "1234567890", "Y", LocalDate.of(2026, 7, 3),
                LocalTime.of(9, 7), 'z', "REF1", payouts(null).batches());
        String header = AchSamples.lines(NachaWriter.write(spec)).get(0);
        assertThat(header.substring(13, 23)).isEqualTo("1234567890");
        assertThat(header.substring(29, 34)).isEqualTo("0907Z");
        assertThat(header.substring(86)).isEqualTo("REF1    ");
    }

    private static NachaFileSpec withEntry(UnaryOperator<NachaEntry> change) {
        NachaFileSpec spec = payouts(null);
        List<NachaEntry> entries = new ArrayList<>(spec.batches().get(0).entries());
        entries.set(0, change.apply(entries.get(0)));
        return file(List.of(batch("PPD", 1, entries, null), spec.batches().get(1)));
    }

    private static void assertSpecRejected(NachaFileSpec spec, String messagePart) {
        assertThatThrownBy(() -> NachaWriter.write(spec))
                .isInstanceOf(NachaSpecException.class)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(messagePart);
    }
}
