package com.fanzfinance.payouts.ach;

import static com.fanzfinance.payouts.ach.AchSamples.patch;
import static com.fanzfinance.payouts.ach.AchSamples.replaceLine;
import static com.fanzfinance.payouts.ach.AchSamples.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fanzfinance.payouts.ach.NachaDocument.Batch;
import com.fanzfinance.payouts.ach.NachaDocument.Entry;
import com.fanzfinance.payouts.ach.NachaDocument.PaymentInfo;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** NachaReader on the moov-io/ach samples (values read off the files by eye) and on broken copies of them. */
class NachaReaderSamplesTest {

    @Test
    void ppdCredit() throws Exception {
        NachaDocument document = NachaReader.read(sample("ppd-credit.ach"));

        assertThat(document.header().immediateDestination()).isEqualTo("031300012");
        assertThat(document.header().immediateOrigin()).isEqualTo("0231380104");
        assertThat(document.header().creationDate()).isEqualTo("190816");
        assertThat(document.header().fileIdModifier()).isEqualTo('A');
        assertThat(document.header().destinationName()).isEqualTo("Federal Reserve Bank");
        assertThat(document.header().originName()).isEqualTo("My Bank Name");
        Batch batch = document.batches().get(0);
        assertThat(batch.line()).isEqualTo(2);
        assertThat(batch.serviceClass()).isEqualTo("220");
        assertThat(batch.companyName()).isEqualTo("Name on Account");
        assertThat(batch.companyIdentification()).isEqualTo("231380104");
        assertThat(batch.secCode()).isEqualTo("PPD");
        assertThat(batch.entryDescription()).isEqualTo("REG.SALARY");
        assertThat(batch.effectiveDate()).isEqualTo("190816");
        assertThat(batch.odfiIdentification()).isEqualTo("12104288");
        assertThat(batch.batchNumber()).isEqualTo(1);
        Entry entry = batch.entries().get(0);
        assertThat(entry).isEqualTo(new Entry(3, 22, "23138010", '4', "987654321", 100_000_000L, "",
                "Credit Account 1", "", false, "121042880000002", java.util.List.of()));
        assertThat(entry.routingNumber()).isEqualTo("231380104");
        assertThat(batch.control()).isEqualTo(
                new NachaDocument.BatchControl(4, "220", 1, 23_138_010L, 0, 100_000_000L, "231380104"));
        assertThat(document.control()).isEqualTo(
                new NachaDocument.FileControl(5, 1, 1, 1, 23_138_010L, 0, 100_000_000L));
    }

    @Test
    void ccdDebitHasTheKnownEntryHash() throws Exception {
        NachaDocument document = NachaReader.read(sample("ccd-debit.ach"));

        Batch batch = document.batches().get(0);
        assertThat(batch.serviceClass()).isEqualTo("225");
        assertThat(batch.secCode()).isEqualTo("CCD");
        assertThat(batch.entries()).extracting(Entry::transactionCode, Entry::accountNumber, Entry::amountCents,
                        Entry::identificationNumber, Entry::name, Entry::discretionaryData, Entry::traceNumber)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(27, "744-5678-99", 500_000L, "location #1", "Best Co. #1",
                                "S", "031300010000001"),
                        org.assertj.core.groups.Tuple.tuple(27, "744-5678-99", 125L, "Fee #1", "Best Co. #1", "S",
                                "031300010000002"));
        assertThat(batch.control().entryHash()).isEqualTo(46_276_020L);
        assertThat(batch.control().totalDebitCents()).isEqualTo(500_125L);
        assertThat(batch.control().totalCreditCents()).isZero();
        assertThat(document.control().entryHash()).isEqualTo(46_276_020L);
        assertThat(document.control().entryAddendaCount()).isEqualTo(2);
    }

    @Test
    void ppdDebit() throws Exception {
        NachaDocument document = NachaReader.read(sample("ppd-debit.ach"));

        Entry entry = document.batches().get(0).entries().get(0);
        assertThat(entry.transactionCode()).isEqualTo(27);
        assertThat(entry.accountNumber()).isEqualTo("12345678");
        assertThat(entry.name()).isEqualTo("Receiver Account Name");
        assertThat(entry.traceNumber()).isEqualTo("121042880000001");
        assertThat(document.control().totalDebitCents()).isEqualTo(100_000_000L);
        assertThat(document.control().totalCreditCents()).isZero();
        assertThat(document.returns()).isEmpty();
        assertThat(document.changes()).isEmpty();
    }

    @Test
    void webCreditWithPaymentAddenda() throws Exception {
        NachaDocument document = NachaReader.read(sample("web-credit.ach"));

        Batch batch = document.batches().get(0);
        assertThat(batch.secCode()).isEqualTo("WEB");
        assertThat(batch.entries()).extracting(Entry::amountCents).containsExactly(10_000L, 799L);
        assertThat(batch.entries()).extracting(Entry::discretionaryData).containsExactly("S", "R");
        assertThat(batch.entries()).allSatisfy(entry -> assertThat(entry.hasAddenda()).isTrue());
        assertThat(batch.entries()).flatExtracting(Entry::addenda).containsExactly(
                new PaymentInfo(4, "PAY-GATE payment"), new PaymentInfo(6, "Monthly Membership Subscription"));
        assertThat(batch.control().entryAddendaCount()).isEqualTo(4);
        assertThat(document.control()).isEqualTo(new NachaDocument.FileControl(8, 1, 1, 4, 46_276_020L, 0, 10_799L));
    }

    /** PAYMENT-PROTOCOLS B3.4 calls these "TC 32 and 37"; the file itself has savings credits 32 and a checking debit 27. */
    @Test
    void twoMicroDepositsInMixedBatches() throws Exception {
        NachaDocument document = NachaReader.read(sample("two-micro-deposits.ach"));

        assertThat(document.header().originName()).isEqualTo("Moov, Inc");
        assertThat(document.batches()).hasSize(2);
        assertThat(document.batches()).extracting(Batch::serviceClass).containsOnly("200");
        assertThat(document.batches()).extracting(Batch::batchNumber).containsExactly(1, 2);
        Batch first = document.batches().get(0);
        assertThat(first.effectiveDate()).isEqualTo("200325");
        assertThat(first.entries()).extracting(Entry::transactionCode).containsExactly(32, 32, 27);
        assertThat(first.entries()).extracting(Entry::amountCents).containsExactly(44L, 32L, 76L);
        assertThat(first.entries()).extracting(Entry::traceNumber)
                .containsExactly("121042886829038", "121042886829039", "121042886829040");
        assertThat(first.control().totalDebitCents()).isEqualTo(76);
        assertThat(first.control().totalCreditCents()).isEqualTo(76);
        assertThat(document.batches().get(1).entries()).extracting(Entry::amountCents).containsExactly(2L, 42L, 44L);
        assertThat(document.control()).isEqualTo(new NachaDocument.FileControl(18, 2, 2, 12, 72_625_728L, 120, 120));
    }

    // ---- physical variants that must be accepted -------------------------------------------------

    @Test
    void crlfNoFinalNewlineNoFillerAndAWrongBlockCountAreAccepted() throws Exception {
        String original = sample("ccd-debit.ach");
        String withoutFiller = String.join("\n", AchSamples.lines(original).subList(0, 6));
        String crlf = original.replace("\n", "\r\n") + "\r\n";
        String blockCountTen = patch(withoutFiller, 6, 8, "000010");

        NachaDocument expected = NachaReader.read(original);
        assertThat(NachaReader.read(withoutFiller)).isEqualTo(expected);
        assertThat(NachaReader.read(crlf)).isEqualTo(expected);
        assertThat(NachaReader.read(blockCountTen).control().blockCount()).isEqualTo(10);
    }

    // ---- rejections ------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"", "\n"})
    void emptyTextIsRejectedAtLineOne(String text) {
        assertRejected(() -> NachaReader.read(text), 1, "");
    }

    @Test
    void headerlessTextIsRejectedAtLineOne() {
        String headerless = sample("ppd-debit.ach").substring(95);
        assertRejected(() -> NachaReader.read(headerless), 1, "file header");
    }

    @Test
    void shortLineIsRejectedAtItsLine() {
        String text = sample("ppd-debit.ach");
        String shortened = replaceLine(text, 3, AchSamples.lines(text).get(2).substring(0, 93));
        assertRejected(() -> NachaReader.read(shortened), 3, "93 characters");
    }

    @Test
    void wrongEntryHashIsRejectedAtTheBatchControl() {
        String text = patch(sample("ccd-debit.ach"), 5, 11, "0046276021");
        assertRejected(() -> NachaReader.read(text), 5, "entry hash is 46276021 but the records give 46276020");
    }

    @Test
    void wrongFileControlHashIsRejectedAtTheFileControl() {
        String text = patch(sample("ccd-debit.ach"), 6, 22, "0046276021");
        assertRejected(() -> NachaReader.read(text), 6, "entry hash");
    }

    @Test
    void changedAmountBreaksTheBatchTotals() {
        String text = patch(sample("ccd-debit.ach"), 4, 30, "0000000126");
        assertRejected(() -> NachaReader.read(text), 5, "total debit amount is 500125 but the records give 500126");
    }

    @Test
    void nonAsciiCharacterIsRejectedAtItsLine() {
        String text = patch(sample("web-credit.ach"), 5, 56, "\u00e9");
        assertRejected(() -> NachaReader.read(text), 5, "U+00E9 at position 56");
    }

    @Test
    void controlCharacterIsRejected() {
        String text = patch(sample("web-credit.ach"), 2, 10, "\t");
        assertRejected(() -> NachaReader.read(text), 2, "U+0009");
    }

    @Test
    void addendaAfterAnEntryWithoutTheIndicatorIsRejected() {
        String text = patch(sample("web-credit.ach"), 3, 79, "0");
        assertRejected(() -> NachaReader.read(text), 4, "addenda indicator is 0");
    }

    @Test
    void indicatorWithoutAddendaIsRejected() {
        String text = patch(sample("ppd-debit.ach"), 3, 79, "1");
        assertRejected(() -> NachaReader.read(text), 3, "no addenda");
    }

    @Test
    void recordsOutOfOrderAreRejected() {
        String text = sample("ppd-debit.ach");
        String swapped = replaceLine(replaceLine(text, 3, AchSamples.lines(text).get(3)), 4,
                AchSamples.lines(text).get(2));
        assertRejected(() -> NachaReader.read(swapped), 3, "entry detail (6)");
    }

    @Test
    void anythingButFillerAfterTheFileControlIsRejected() {
        String text = replaceLine(sample("ppd-debit.ach"), 7, AchSamples.lines(sample("ppd-debit.ach")).get(2));
        assertRejected(() -> NachaReader.read(text), 7, "filler");
    }

    @Test
    void missingFileControlIsRejected() {
        String text = String.join("\n", AchSamples.lines(sample("ppd-debit.ach")).subList(0, 4));
        assertRejected(() -> NachaReader.read(text), 4, "file control");
    }

    @Test
    void unknownTransactionCodeIsRejected() {
        String text = patch(sample("ppd-debit.ach"), 3, 2, "25");
        assertRejected(() -> NachaReader.read(text), 3, "unknown transaction code 25");
    }

    @Test
    void blankAmountIsRejected() {
        String text = patch(sample("ppd-debit.ach"), 3, 30, "          ");
        assertRejected(() -> NachaReader.read(text), 3, "amount");
    }

    @Test
    void batchNumberMismatchIsRejected() {
        String text = patch(sample("ppd-debit.ach"), 4, 88, "0000002");
        assertRejected(() -> NachaReader.read(text), 4, "batch number");
    }

    @Test
    void moreThanAMillionRecordsIsRejectedBeforeReadingThem() {
        String text = "\n".repeat(NachaReader.MAX_RECORDS + 1);
        assertRejected(() -> NachaReader.read(text), NachaReader.MAX_RECORDS + 1, "more than 1000000 records");
    }

    private static void assertRejected(ThrowingCallable read, int line, String messagePart) {
        assertThatThrownBy(read)
                .isInstanceOf(NachaFormatException.class)
                .hasMessageContaining(messagePart)
                .satisfies(e -> assertThat(((NachaFormatException) e).line()).isEqualTo(line));
    }
}
