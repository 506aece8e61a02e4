package com.fanzfinance.reconciliation.importers;

import static com.fanzfinance.reconciliation.importers.Lines.day;
import static com.fanzfinance.reconciliation.importers.Lines.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fanzfinance.reconciliation.LineSink;
import com.fanzfinance.reconciliation.StatementFormatException;
import com.fanzfinance.reconciliation.importers.Lines.Line;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GenericCsvImporterTest {
    private final GenericCsvImporter importer = new GenericCsvImporter(Lines.SCALES);

    private Lines read(String csv) throws IOException {
        Lines sink = new Lines();
        importer.read(utf8(csv), sink);
        return sink;
    }

    private static StatementFormatException refused(ThrowingCallable call) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(call);
        assertThat(t).isInstanceOf(StatementFormatException.class);
        return (StatementFormatException) t;
    }

    private StatementFormatException refused(String csv) {
        return refused(() -> read(csv));
    }

    @Test
    void happyPathWithExactValues() throws IOException {
        Lines sink = read("""
            Date,TYPE,amount,Currency,fee,reference,group,description,ignored
            2024-03-01,Sale,19.99,usd,0.89,ch_1|inv_9,batch-7,Monthly plan,x
            2024-03-02T23:30:00-02:00,refund,-5,JPY,,r_2,,"Refund, partial",y
            2024-03-03,Weird_Kind,+0.000001,USDC,0,,,,z
            """);
        assertThat(sink.lines).containsExactly(
            new Line(1, "ch_1|inv_9", "sale", 1999, 89, "USD", day("2024-03-01"), "batch-7", "Monthly plan"),
            new Line(2, "r_2", "refund", -5, 0, "JPY", day("2024-03-03"), "", "Refund, partial"),
            new Line(3, "", "weird_kind", 1, 0, "USDC", day("2024-03-03"), "", ""));
    }

    @Test
    void onlyTheRequiredColumns() throws IOException {
        assertThat(read("amount,currency,date\n1.5,EUR,2024-01-31\n").lines)
            .containsExactly(new Line(1, "", "", 150, 0, "EUR", day("2024-01-31"), "", ""));
    }

    @Test
    void byteOrderMarkAndCrlf() throws IOException {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] body = "amount,currency,date\r\n1.00,USD,2024-01-01\r\n2.00,USD,2024-01-02\r\n"
            .getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, all, 0, 3);
        System.arraycopy(body, 0, all, 3, body.length);
        Lines sink = new Lines();
        importer.read(new ByteArrayInputStream(all), sink);
        assertThat(sink.lines).extracting(Line::amount).containsExactly(100L, 200L);
    }

    @Test
    void blankLinesCountButAreNotEmitted() throws IOException {
        Lines sink = read("amount,currency,date\n\n1,USD,2024-01-01\n\r\n2,USD,2024-01-01\n\n");
        assertThat(sink.lines).extracting(Line::line).containsExactly(2L, 4L);
    }

    @Test
    void quotingEdgeCases() throws IOException {
        Lines sink = read("amount,currency,date,description,reference\n"
            + "\"1,00\",USD,2024-01-01,x,y\n".replace("\"1,00\"", "\"1.00\"")
            + "2,USD,2024-01-01,\"line one\nline \"\"two\"\"\",\"a|b\"\n"
            + "3,USD,2024-01-01,\"\",\n");
        assertThat(sink.lines).extracting(Line::description).containsExactly("x", "line one\nline \"two\"", "");
        assertThat(sink.lines).extracting(Line::line).containsExactly(1L, 2L, 3L);
        assertThat(sink.lines).extracting(Line::reference).containsExactly("y", "a|b", "");
    }

    @Test
    void descriptionIsCutAndReferenceLimited() throws IOException {
        String longText = "d".repeat(LineSink.DESCRIPTION_MAX + 50);
        assertThat(read("amount,currency,date,description\n1,USD,2024-01-01," + longText + "\n").lines.get(0)
            .description()).hasSize(LineSink.DESCRIPTION_MAX);
        String emoji = "d".repeat(LineSink.DESCRIPTION_MAX - 1) + "\uD83D\uDE00";
        assertThat(read("amount,currency,date,description\n1,USD,2024-01-01," + emoji + "\n").lines.get(0)
            .description()).hasSize(LineSink.DESCRIPTION_MAX - 1);
        assertThat(read("amount,currency,date,reference\n1,USD,2024-01-01," + "r".repeat(400) + "\n").lines)
            .hasSize(1);
        StatementFormatException e = refused("amount,currency,date,reference\n1,USD,2024-01-01," + "r".repeat(401));
        assertThat(e.pointer()).isEqualTo("/lines/1/reference");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "abc|USD|amount|'abc' is not a decimal number",
        "1.2.3|USD|amount|is not a decimal number",
        "1.|USD|amount|is not a decimal number",
        "-|USD|amount|is not a decimal number",
        "1e5|USD|amount|is not a decimal number",
        "1.234|USD|amount|has more decimals than USD allows (2)",
        "1.5|JPY|amount|has more decimals than JPY allows (0)",
        "1.0001|USD|amount|has more decimals than USD allows (2)",
        "1000.01|JPY|amount|has more decimals than JPY allows (0)",
        "92233720368547758.08|USD|amount|is too large",
        "99999999999999999999|JPY|amount|is too large",
        "1.00|XXX|currency|unknown currency 'XXX'",
    })
    void badValues(String amount, String currency, String field, String message) {
        StatementFormatException e = refused("amount,currency,date\n1,USD,2024-01-01\n" + amount + "," + currency
            + ",2024-01-01\n");
        assertThat(e.getMessage()).contains(message).contains("row 2 (line 3)");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.pointer()).isEqualTo("/lines/2/" + field);
    }

    @Test
    void zerosBeyondTheScaleAreAccepted() throws IOException {
        assertThat(read("amount,currency,date,fee\n5.000,EUR,2024-01-01,0.10000\n1000.00,JPY,2024-01-01,0.0\n"
            + "-0.1230,BHD,2024-01-01,\n92233720368547758.0700,USD,2024-01-01,\n").lines)
            .extracting(Line::amount, Line::fee)
            .containsExactly(tuple(500L, 10L), tuple(1000L, 0L), tuple(-123L, 0L), tuple(Long.MAX_VALUE, 0L));
    }

    @Test
    void aTypeLongerThan32CharactersIsRefused() throws IOException {
        assertThat(read("amount,currency,date,type\n1,USD,2024-01-01, " + "t".repeat(32) + " \n").lines)
            .extracting(Line::type).containsExactly("t".repeat(32));
        StatementFormatException e = refused("amount,currency,date,type\n1,USD,2024-01-01,sale\n1,USD,2024-01-01,"
            + "t".repeat(33) + "\n");
        assertThat(e.pointer()).isEqualTo("/lines/2/type");
        assertThat(e.getMessage()).contains("longer than 32 characters");
    }

    @Test
    void anErrorQuotesAtMost80CharactersOfAValue() {
        String junk = "x".repeat(5000);
        StatementFormatException amount = refused("amount,currency,date\n" + junk + ",USD,2024-01-01\n");
        assertThat(amount.getMessage()).contains("'" + "x".repeat(80) + "…' is not a decimal number")
            .doesNotContain("x".repeat(81));
        StatementFormatException date = refused("amount,currency,date\n1,USD," + junk + "\n");
        assertThat(date.getMessage()).contains("'" + "x".repeat(80) + "…'").doesNotContain("x".repeat(81));
        StatementFormatException currency = refused("amount,currency,date\n1," + junk + ",2024-01-01\n");
        assertThat(currency.getMessage()).contains("unknown currency '" + "X".repeat(80) + "…'")
            .doesNotContain("X".repeat(81));
    }

    @Test
    void theLargestAmountsFit() throws IOException {
        assertThat(read("amount,currency,date\n92233720368547758.07,USD,2024-01-01\n-9223372036854775807,JPY,"
            + "2024-01-01\n").lines).extracting(Line::amount).containsExactly(Long.MAX_VALUE, -Long.MAX_VALUE);
    }

    @Test
    void badFee() {
        assertThat(refused("amount,currency,date,fee\n1,USD,2024-01-01,0.001\n").pointer())
            .isEqualTo("/lines/1/fee");
    }

    @ParameterizedTest
    @CsvSource({"2024-02-30", "2024-13-01", "01/02/2024", "2024-1-1", "yesterday", "''"})
    void badDates(String date) {
        StatementFormatException e = refused("amount,currency,date\n1,USD," + date + "\n");
        assertThat(e.pointer()).isEqualTo("/lines/1/date");
        assertThat(e.line()).isEqualTo(2);
    }

    @Test
    void dateTimes() throws IOException {
        assertThat(read("amount,currency,date\n1,USD,2024-03-01T00:30:00+01:00\n1,USD,2024-03-01T10:00:00Z\n"
            + "1,USD,2024-03-01T23:59:59\n").lines).extracting(Line::date)
            .containsExactly(day("2024-02-29"), day("2024-03-01"), day("2024-03-01"));
    }

    @Test
    void missingRequiredColumn() {
        StatementFormatException e = refused("amount,date,reference\n1,2024-01-01,x\n");
        assertThat(e.getMessage()).contains("required column 'currency' is missing");
        assertThat(e.line()).isEqualTo(1);
        assertThat(e.pointer()).isEqualTo("/header");
    }

    @Test
    void duplicateColumn() {
        StatementFormatException e = refused("amount,currency,date,Amount\n1,USD,2024-01-01,2\n");
        assertThat(e.getMessage()).contains("'amount' appears 2 times");
        assertThat(e.pointer()).isEqualTo("/header");
    }

    @Test
    void duplicateUnknownColumnsAreIgnored() throws IOException {
        assertThat(read("amount,currency,date,x,x\n1,USD,2024-01-01,a,b\n").lines).hasSize(1);
    }

    @Test
    void emptyFileHasNoHeader() {
        assertThat(refused("").pointer()).isEqualTo("/header");
        assertThat(refused("\n1,USD,2024-01-01\n").getMessage()).contains("no header");
    }

    @Test
    void fieldCountMismatch() {
        StatementFormatException e = refused("amount,currency,date\n1,USD,2024-01-01\n\"multi\nline\",USD\n");
        assertThat(e.getMessage()).contains("row 2 (line 3)").contains("2 fields, the header 3");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.pointer()).isEqualTo("/lines/2");
    }

    @Test
    void recordTooLongAndUnterminatedQuote() {
        assertThat(refused("amount,currency,date,description\n1,USD,2024-01-01," + "x".repeat(70_000) + "\n")
            .getMessage()).contains("longer than 65536");
        StatementFormatException e = refused("amount,currency,date,description\n1,USD,2024-01-01,\"open\n");
        assertThat(e.getMessage()).contains("never closed");
        assertThat(e.pointer()).isEqualTo("/lines/1");
    }

    @Test
    void notUtf8() {
        byte[] bytes = "amount,currency,date\n1,USD,2024-01-01,\n".getBytes(StandardCharsets.UTF_8);
        byte[] bad = "amount,currency,date\n1,USD,2024-01-0\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(bytes).isNotEmpty();
        StatementFormatException e = refused(() -> importer.read(new ByteArrayInputStream(bad), new Lines()));
        assertThat(e.getMessage()).contains("not valid UTF-8");
    }

    @Test
    void theSinksOwnExceptionPassesUntouched() {
        StatementFormatException limit = new StatementFormatException("too many lines", 2, "/lines/2");
        LineSink sink = (line, reference, type, amount, fee, currency, epochDay, group, description) -> {
            if (line == 2) {
                throw limit;
            }
        };
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> importer.read(
            utf8("amount,currency,date\n1,USD,2024-01-01\n2,USD,2024-01-01\n3,USD,2024-01-01\n"), sink));
        assertThat(t).isSameAs(limit);
    }

    @Test
    void streamsAGeneratedFileWithoutHoldingIt() throws IOException {
        int rows = 200_000;
        long[] seen = {0, 0};
        importer.read(new GeneratedCsv(rows), (line, reference, type, amount, fee, currency, epochDay, group, d) -> {
            seen[0]++;
            if (line != seen[0] || amount != line * 100 + 1 || !reference.equals("ref-" + line)) {
                throw new AssertionError("line " + line + " amount " + amount + " reference " + reference);
            }
            seen[1] += fee;
        });
        assertThat(seen[0]).isEqualTo(rows);
        assertThat(seen[1]).isEqualTo(rows * 25L);
    }

    @Test
    void nothingAfterTheHeaderIsNoLines() throws IOException {
        assertThat(read("amount,currency,date\n").lines).isEmpty();
    }

    /** Bytes of a CSV file made as they are read: the file exists nowhere whole. */
    static final class GeneratedCsv extends InputStream {
        private final int rows;
        private int row;
        private byte[] chunk = "reference,type,amount,currency,fee,date,description\n".getBytes(StandardCharsets.UTF_8);
        private int at;

        GeneratedCsv(int rows) {
            this.rows = rows;
        }

        private boolean more() {
            if (at < chunk.length) {
                return true;
            }
            if (row == rows) {
                return false;
            }
            row++;
            chunk = ("ref-" + row + ",sale," + row + ".01,USD,0.25,2024-05-" + (10 + row % 19)
                + ",\"generated, row " + row + "\"\n").getBytes(StandardCharsets.UTF_8);
            at = 0;
            return true;
        }

        @Override
        public int read() {
            return more() ? chunk[at++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            int n = 0;
            while (n < len && more()) {
                int k = Math.min(len - n, chunk.length - at);
                System.arraycopy(chunk, at, b, off + n, k);
                at += k;
                n += k;
            }
            return n == 0 ? -1 : n;
        }
    }
}
