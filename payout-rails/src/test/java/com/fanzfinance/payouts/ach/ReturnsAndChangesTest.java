package com.fanzfinance.payouts.ach;

import static com.fanzfinance.payouts.ach.AchSamples.blocked;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fanzfinance.payouts.ach.AchSamples.Record;
import com.fanzfinance.payouts.ach.NachaDocument.ChangeNotice;
import com.fanzfinance.payouts.ach.NachaDocument.ChangedEntry;
import com.fanzfinance.payouts.ach.NachaDocument.Return;
import com.fanzfinance.payouts.ach.NachaDocument.ReturnedEntry;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Return (addenda 99) and NOC (addenda 98) files, built record by record at the NACHA positions
 * (PAYMENT-PROTOCOLS B3.2) with hand-computed hashes and totals, then read.
 */
class ReturnsAndChangesTest {

    private static String fileHeader() {
        return new Record('1').at(2, 2, "01").at(4, 10, " 121042882").at(14, 10, " 091000019")
                .at(24, 6, "260710").at(30, 4, "0800").at(34, 1, "A").at(35, 3, "094").at(38, 2, "10")
                .at(40, 1, "1").at(41, 23, "FANZFINANCE BANK").at(64, 23, "FEDERAL RESERVE").toString();
    }

    private static String batchHeader(String serviceClass, String secCode, String effectiveDate, String odfi) {
        return new Record('5').at(2, 3, serviceClass).at(5, 16, "FANZFINANCE").at(41, 10, "1234567890")
                .at(51, 3, secCode).at(54, 10, "PAYOUT").at(70, 6, effectiveDate).at(79, 1, "1")
                .at(80, 8, odfi).at(88, 7, "0000001").toString();
    }

    private static String entry(String transactionCode, String routing, String account, long cents, String id,
                                String name, String trace) {
        return new Record('6').at(2, 2, transactionCode).at(4, 9, routing).at(13, 17, account).number(30, 10, cents)
                .at(40, 15, id).at(55, 22, name).at(79, 1, "1").at(80, 15, trace).toString();
    }

    private static String returnAddenda(String code, String originalTrace, String originalRdfi, String info,
                                        String trace) {
        return new Record('7').at(2, 2, "99").at(4, 3, code).at(7, 15, originalTrace).at(28, 8, originalRdfi)
                .at(36, 44, info).at(80, 15, trace).toString();
    }

    private static String changeAddenda(String code, String originalTrace, String correctedData, String trace) {
        return new Record('7').at(2, 2, "98").at(4, 3, code).at(7, 15, originalTrace).at(28, 8, "12104288")
                .at(36, 29, correctedData).at(80, 15, trace).toString();
    }

    private static String batchControl(String serviceClass, int count, long hash, long debits, long credits,
                                       String odfi) {
        return new Record('8').at(2, 3, serviceClass).number(5, 6, count).number(11, 10, hash)
                .number(21, 12, debits).number(33, 12, credits).at(45, 10, "1234567890").at(80, 8, odfi)
                .at(88, 7, "0000001").toString();
    }

    private static String fileControl(int count, long hash, long debits, long credits) {
        return new Record('9').number(2, 6, 1).number(8, 6, 1).number(14, 8, count).number(22, 10, hash)
                .number(32, 12, debits).number(44, 12, credits).toString();
    }

    /** A returned payout credit (TC 21, R03) and a returned debit (TC 26, R01); 23138010 + 09140060 = 32278070. */
    static String returnFile() {
        return blocked(List.of(
                fileHeader(),
                batchHeader("200", "PPD", "260708", "09100001"),
                entry("21", "231380104", "12345678", 12_500, "PAYOUT-1", "JANE CREATOR", "091000010000001"),
                returnAddenda("R03", "121042880000001", "23138010", "NO ACCOUNT", "091000010000001"),
                entry("26", "091400606", "555444", 500, "COLLECT-7", "SAM FAN", "091000010000002"),
                returnAddenda("R01", "121042880000007", "09140060", "", "091000010000002"),
                batchControl("200", 4, 32_278_070L, 500, 12_500, "09100001"),
                fileControl(4, 32_278_070L, 500, 12_500)));
    }

    /** Three zero-dollar COR entries (C01, C07, C03) to 121042882: hash 3 × 12104288 = 36312864. */
    static String changeFile() {
        return blocked(List.of(
                fileHeader(),
                batchHeader("200", "COR", "      ", "12104288"),
                entry("21", "121042882", "987654", 0, "PAYOUT-3", "ALEX CREATOR", "121042880000011"),
                changeAddenda("C01", "121042880000003", "1918171614", "121042880000011"),
                entry("21", "121042882", "222333", 0, "PAYOUT-4", "KIM CREATOR", "121042880000012"),
                changeAddenda("C07", "121042880000004", "23138010499887766" + " ".repeat(10) + "32",
                        "121042880000012"),
                entry("26", "121042882", "777", 0, "COLLECT-5", "LEE FAN", "121042880000013"),
                changeAddenda("C03", "121042880000005", "091400606" + " ".repeat(12) + "44556677",
                        "121042880000013"),
                batchControl("200", 6, 36_312_864L, 0, 0, "12104288"),
                fileControl(6, 36_312_864L, 0, 0)));
    }

    @Test
    void returnsAreListedWithTheirEntriesAndOriginalTraces() throws Exception {
        NachaDocument document = NachaReader.read(returnFile());

        List<ReturnedEntry> returns = document.returns();
        assertThat(returns).hasSize(2);
        assertThat(returns.get(0).addenda()).isEqualTo(
                new Return(4, "R03", "121042880000001", "", "23138010", "NO ACCOUNT", "091000010000001"));
        assertThat(returns.get(0).entry().transactionCode()).isEqualTo(21);
        assertThat(returns.get(0).entry().amountCents()).isEqualTo(12_500);
        assertThat(returns.get(0).entry().accountNumber()).isEqualTo("12345678");
        assertThat(returns.get(1).addenda().returnCode()).isEqualTo("R01");
        assertThat(returns.get(1).addenda().originalTrace()).isEqualTo("121042880000007");
        assertThat(document.changes()).isEmpty();
    }

    /** moov's rule: TC 21 (second digit 1) is a credit, TC 26 (second digit 6) a debit. */
    @Test
    void returnCodesCountAsCreditOrDebitByTheirSecondDigit() throws Exception {
        NachaDocument document = NachaReader.read(returnFile());

        assertThat(document.control().totalCreditCents()).isEqualTo(12_500);
        assertThat(document.control().totalDebitCents()).isEqualTo(500);
        String swappedTotals = AchSamples.patch(returnFile(), 7, 21, "000000012500000000000500");
        assertThatThrownBy(() -> NachaReader.read(swappedTotals))
                .isInstanceOf(NachaFormatException.class)
                .hasMessageContaining("total debit amount is 12500 but the records give 500");
    }

    @Test
    void changesCarryCorrectedData() throws Exception {
        NachaDocument document = NachaReader.read(changeFile());

        assertThat(document.batches().get(0).secCode()).isEqualTo("COR");
        assertThat(document.batches().get(0).effectiveDate()).isEmpty();
        List<ChangedEntry> changes = document.changes();
        assertThat(changes).extracting(change -> change.addenda().changeCode()).containsExactly("C01", "C07", "C03");
        ChangeNotice first = changes.get(0).addenda();
        assertThat(first).isEqualTo(
                new ChangeNotice(4, "C01", "121042880000003", "12104288", "1918171614", "121042880000011"));
        assertThat(changes.get(0).entry().amountCents()).isZero();
        assertThat(changes).extracting(change -> CorrectedData.parse(change.addenda().changeCode(),
                        change.addenda().correctedData()))
                .containsExactly(
                        Optional.of(new CorrectedData(null, "1918171614", null, null, null)),
                        Optional.of(new CorrectedData("231380104", "99887766", 32, null, null)),
                        Optional.of(new CorrectedData("091400606", "44556677", null, null, null)));
        assertThat(document.returns()).isEmpty();
    }

    @Test
    void unsupportedAddendaTypeIsRejected() {
        String text = AchSamples.patch(changeFile(), 4, 2, "02");
        assertThatThrownBy(() -> NachaReader.read(text))
                .isInstanceOf(NachaFormatException.class)
                .hasMessageContaining("unsupported addenda type 02")
                .satisfies(e -> assertThat(((NachaFormatException) e).line()).isEqualTo(4));
    }
}
