package com.fanzfinance.reconciliation.importers;

import static com.fanzfinance.reconciliation.importers.Lines.day;
import static com.fanzfinance.reconciliation.importers.Lines.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fanzfinance.reconciliation.StatementFormatException;
import com.fanzfinance.reconciliation.importers.Lines.Line;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EpochDataPlusImporterTest {
    private static final String HEADER = "ets_transaction_id,ets_member_idx,ets_transaction_date,ets_transaction_type,"
        + "ets_co_code,ets_pi_code,ets_reseller_code,ets_transaction_amount,ets_payment_type,ets_username,"
        + "ets_ref_trans_ids,ets_password_expire,ets_email\n";

    private final EpochDataPlusImporter importer = new EpochDataPlusImporter(Lines.SCALES, "usd");

    private Lines read(String csv) throws IOException {
        Lines sink = new Lines();
        importer.read(utf8(csv), sink);
        return sink;
    }

    private StatementFormatException refused(String csv) {
        Throwable t = catchThrowable(() -> read(csv));
        assertThat(t).isInstanceOf(StatementFormatException.class);
        return (StatementFormatException) t;
    }

    @Test
    void happyPath() throws IOException {
        Lines sink = read(HEADER
            + "1001,55,2024-04-01 12:30:00,I,co1,pi1,r1,29.95,VS,alice,,2024-05-01,alice@example.com\n"
            + "1002,55,2024-04-02,C,co1,pi1,r1,-29.95,VS,alice,1001,,alice@example.com\n"
            + "1003,56,2024-04-03 00:00:00,D,co1,pi1,r1,-9.99,VS,bob,998|999,,bob@example.com\n");
        assertThat(sink.lines).containsExactly(
            new Line(1, "1001", "sale", 2995, 0, "USD", day("2024-04-01"), "", ""),
            new Line(2, "1002", "refund", -2995, 0, "USD", day("2024-04-02"), "1001", ""),
            new Line(3, "1003", "chargeback", -999, 0, "USD", day("2024-04-03"), "998|999", ""));
    }

    @Test
    void personalDataNeverReachesTheSink() throws IOException {
        Lines sink = read(HEADER + "1,55,2024-04-01,N,co,pi,r,5.00,VS,carol,,,carol@example.com\n");
        assertThat(sink.lines.get(0).toString()).doesNotContain("carol");
    }

    @ParameterizedTest
    @CsvSource({"I,sale", "O,sale", "T,sale", "N,rebill", "U,rebill", "C,refund", "D,chargeback", "X,chargeback",
        "J,failure", "K,cancellation", "F,other", "Z,other", "n,rebill", "II,other"})
    void typeCodes(String code, String kind) {
        assertThat(EpochDataPlusImporter.kind(code)).isEqualTo(kind);
    }

    @Test
    void requiredColumnsInAnyOrderAndACurrencyColumn() throws IOException {
        Lines sink = read("ETS_TRANSACTION_AMOUNT,ets_currency,ets_transaction_type,ets_transaction_date,"
            + "ets_transaction_id\n1000,JPY,O,2024-01-01,a\n5.5,,O,2024-01-01,b\n");
        assertThat(sink.lines).extracting(Line::currency).containsExactly("JPY", "USD");
        assertThat(sink.lines).extracting(Line::amount).containsExactly(1000L, 550L);
    }

    @Test
    void errors() {
        assertThat(refused("ets_transaction_id,ets_transaction_date,ets_transaction_type\n1,2024-01-01,I\n")
            .getMessage()).contains("'ets_transaction_amount' is missing");
        assertThat(refused(HEADER + "1,55,2024-04-01 25:00:00,I,,,,1,,,,,\n").pointer())
            .isEqualTo("/lines/1/ets_transaction_date");
        assertThat(refused(HEADER + "1,55,2024-04-01T10:00:00,I,,,,1,,,,,\n").pointer())
            .isEqualTo("/lines/1/ets_transaction_date");
        assertThat(refused(HEADER + "1,55,2024-04-01,I,,,,1.001,,,,,\n").pointer())
            .isEqualTo("/lines/1/ets_transaction_amount");
        assertThat(refused(HEADER + ",55,2024-04-01,I,,,,1,,,,,\n").pointer())
            .isEqualTo("/lines/1/ets_transaction_id");
        assertThat(refused(HEADER + "1,55,2024-04-01,I,,,,1,,,,\n").pointer()).isEqualTo("/lines/1");
        assertThatThrownBy(() -> new EpochDataPlusImporter(Lines.SCALES, "XYZ"))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
