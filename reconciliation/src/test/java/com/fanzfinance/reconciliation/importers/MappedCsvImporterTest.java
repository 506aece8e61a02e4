package com.fanzfinance.reconciliation.importers;

import static com.fanzfinance.reconciliation.importers.Lines.day;
import static com.fanzfinance.reconciliation.importers.Lines.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fanzfinance.reconciliation.StatementFormatException;
import com.fanzfinance.reconciliation.importers.CsvMapping.AmountSign;
import com.fanzfinance.reconciliation.importers.Lines.Line;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MappedCsvImporterTest {
    private static final Map<String, String> COLUMNS = Map.of("reference", "Trans ID", "type", "Kind",
        "amount", "Gross", "currency", "Cur", "fee", "Fee", "date", "Posted", "description", "Memo");
    private static final Map<String, String> TYPES = Map.of("SALE", "sale", "CREDIT", "refund", "CB", "Chargeback",
        "PAYOUT", "payout");

    private static Lines read(CsvMapping mapping, String csv) throws IOException {
        Lines sink = new Lines();
        new MappedCsvImporter(Lines.SCALES, mapping).read(utf8(csv), sink);
        return sink;
    }

    private static StatementFormatException refused(CsvMapping mapping, String csv) {
        Throwable t = catchThrowable(() -> read(mapping, csv));
        assertThat(t).isInstanceOf(StatementFormatException.class);
        return (StatementFormatException) t;
    }

    @Test
    void happyPathSignedAmounts() throws IOException {
        Lines sink = read(new CsvMapping(COLUMNS, TYPES, "dd/MM/yyyy"), """
            posted,TRANS ID,kind,gross,cur,fee,memo,extra
            01/03/2024,t1,sale,10.00,usd,0.30,Plan,x
            02/03/2024,t2,credit,-4.50,USD,,"Refund, partial",y
            03/03/2024,t3,bonus,1,EUR,0,,z
            """);
        assertThat(sink.lines).containsExactly(
            new Line(1, "t1", "sale", 1000, 30, "USD", day("2024-03-01"), "", "Plan"),
            new Line(2, "t2", "refund", -450, 0, "USD", day("2024-03-02"), "", "Refund, partial"),
            new Line(3, "t3", "other", 100, 0, "EUR", day("2024-03-03"), "", ""));
    }

    @Test
    void unsignedAmountsSignedByTypeWithCommaDecimalsAndSemicolons() throws IOException {
        CsvMapping mapping = new CsvMapping(COLUMNS, TYPES, "yyyy-MM-dd HH:mm", AmountSign.of("BY_TYPE"), ',', ';',
            null);
        Lines sink = read(mapping, """
            Trans ID;Kind;Gross;Cur;Fee;Posted;Memo
            t1;SALE;10,00;USD;0,30;2024-03-01 10:00;a
            t2;Credit;4,5;USD;;2024-03-01 23:59;"b; c"
            t3;cb;"1,25";USD;;2024-03-02 00:00;
            t4;payout;100;JPY;;2024-03-02 00:00;
            """);
        assertThat(sink.lines).extracting(Line::amount).containsExactly(1000L, -450L, -125L, -100L);
        assertThat(sink.lines).extracting(Line::type).containsExactly("sale", "refund", "chargeback", "payout");
        assertThat(sink.lines.get(1).description()).isEqualTo("b; c");
        assertThat(sink.lines.get(1).date()).isEqualTo(day("2024-03-01"));
    }

    @Test
    void bySignRefusesSignedAmounts() {
        CsvMapping mapping = new CsvMapping(COLUMNS, TYPES, null, AmountSign.BY_TYPE, '.', ',', null);
        StatementFormatException e = refused(mapping,
            "Trans ID,Kind,Gross,Cur,Fee,Posted,Memo\nt1,credit,-0.00,USD,,2024-03-01,\n");
        assertThat(e.pointer()).isEqualTo("/lines/1/amount");
        assertThat(e.getMessage()).contains("unsigned");
    }

    @Test
    void byTypeRefusesATypeOutsideTheMapping() throws IOException {
        CsvMapping mapping = new CsvMapping(COLUMNS, TYPES, null, AmountSign.BY_TYPE, '.', ',', null);
        String header = "Trans ID,Kind,Gross,Cur,Fee,Posted,Memo\n";
        StatementFormatException unknown = refused(mapping, header + "t1,sale,1,USD,,2024-03-01,\n"
            + "t2,refnd,4.50,USD,,2024-03-01,\n");
        assertThat(unknown.pointer()).isEqualTo("/lines/2/type");
        assertThat(unknown.getMessage()).contains("'refnd' is not in the mapping's types");
        StatementFormatException empty = refused(mapping, header + "t1, ,4.50,USD,,2024-03-01,\n");
        assertThat(empty.pointer()).isEqualTo("/lines/1/type");
        assertThat(empty.getMessage()).contains("no type");
        // signed as is, an unlisted type is still read as other
        CsvMapping asIs = new CsvMapping(COLUMNS, TYPES, null, AmountSign.AS_IS, '.', ',', null);
        assertThat(read(asIs, header + "t2,refnd,-4.50,USD,,2024-03-01,\n,,1,USD,,2024-03-01,\n").lines)
            .extracting(Line::type).containsExactly("other", "other");
    }

    @Test
    void aFixedCurrencyForFilesWithoutOne() throws IOException {
        CsvMapping mapping = new CsvMapping(Map.of("amount", "Amt", "date", "Day"), null, null, null, '.', '\t',
            " gbp ");
        assertThat(read(mapping, "Day\tAmt\n2024-01-02T03:04:05Z\t7.5\n").lines)
            .containsExactly(new Line(1, "", "", 750, 0, "GBP", day("2024-01-02"), "", ""));
        StatementFormatException e = refused(new CsvMapping(Map.of("amount", "Amt", "date", "Day"), null, null, null,
            '.', ',', "XXX"), "Day,Amt\n2024-01-02,1\n");
        assertThat(e.pointer()).isEqualTo("/header");
    }

    @Test
    void aMappedColumnMissingFromTheFile() {
        StatementFormatException e = refused(new CsvMapping(COLUMNS, TYPES, null),
            "Trans ID,Kind,Gross,Cur,Posted,Memo\nt1,sale,1,USD,2024-01-01,\n");
        assertThat(e.getMessage()).contains("'Fee' is missing");
        assertThat(e.pointer()).isEqualTo("/header");
    }

    @Test
    void badValues() {
        CsvMapping mapping = new CsvMapping(COLUMNS, TYPES, "dd/MM/yyyy");
        String header = "Trans ID,Kind,Gross,Cur,Fee,Posted,Memo\n";
        assertThat(refused(mapping, header + "t,sale,1,USD,,31/02/2024,\n").pointer()).isEqualTo("/lines/1/date");
        assertThat(refused(mapping, header + "t,sale,1,USD,,2024-02-01,\n").getMessage())
            .contains("does not match the date format 'dd/MM/yyyy'");
        assertThat(refused(mapping, header + "t,sale,1.001,USD,,01/02/2024,\n").pointer())
            .isEqualTo("/lines/1/amount");
        assertThat(refused(mapping, header + "t,sale,1,ABC,,01/02/2024,\n").pointer())
            .isEqualTo("/lines/1/currency");
        assertThat(refused(mapping, header + "t,sale,1,USD,,01/02/2024\n").pointer()).isEqualTo("/lines/1");
        CsvMapping commas = new CsvMapping(COLUMNS, TYPES, null, AmountSign.AS_IS, ',', ';', null);
        assertThat(refused(commas, header.replace(',', ';') + "t;sale;1.50;USD;;2024-01-01;\n").getMessage())
            .contains("not a decimal number");
    }

    @Test
    void invalidMappings() {
        assertThatThrownBy(() -> new CsvMapping(Map.of("amount", "A"), null, null))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'date' is required");
        assertThatThrownBy(() -> new CsvMapping(Map.of("amount", "A", "date", "D"), null, null))
            .hasMessageContaining("'currency' is required");
        assertThatThrownBy(() -> new CsvMapping(Map.of("amount", "A", "date", "D", "currency", "C", "x", "X"), null,
            null)).hasMessageContaining("'x' is not one of");
        assertThatThrownBy(() -> new CsvMapping(Map.of("amount", "A", "date", "D", "currency", "C"), null, "dd/QQQQQQ"))
            .hasMessageContaining("date_format");
        assertThatThrownBy(() -> new CsvMapping(Map.of("amount", "A", "date", "D", "currency", "C"), null, null,
            AmountSign.BY_TYPE, '.', ',', null)).hasMessageContaining("needs a type column");
        assertThatThrownBy(() -> new CsvMapping(Map.of("amount", "A", "date", "D", "currency", "C"), null, null,
            AmountSign.AS_IS, '.', '|', null)).hasMessageContaining("delimiter");
        assertThatThrownBy(() -> new CsvMapping(Map.of("amount", "A", "date", "D", "currency", "C"),
            Map.of("X", "k".repeat(33)), null)).hasMessageContaining("kind longer than 32 characters");
        assertThat(new CsvMapping(Map.of("amount", "A", "date", "D", "currency", "C"), Map.of("X", "k".repeat(32)),
            null).types()).containsEntry("x", "k".repeat(32));
        assertThatThrownBy(() -> AmountSign.of("negate")).hasMessageContaining("as_is or by_type");
    }
}
