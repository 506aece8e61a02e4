package com.fanzfinance.reconciliation.importers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fanzfinance.reconciliation.importers.Lines.Line;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Whatever RFC 4180 CSV a writer produces from some lines, the generic importer reads exactly those lines. */
class GenericCsvImporterPropertyTest {

    /** A line and how to write it: whether to quote every field or only those that need it, and the line end. */
    record Written(Line line, boolean quoteAll, boolean crlf) {
    }

    @Property(tries = 300)
    void readsBackExactlyWhatWasWritten(@ForAll("files") @Size(max = 20) List<Written> rows) throws IOException {
        StringBuilder csv = new StringBuilder("description,amount,reference,type,currency,fee,date,group\r\n");
        List<Line> expected = new ArrayList<>();
        long n = 0;
        for (Written w : rows) {
            Line l = w.line();
            String[] fields = {l.description(), decimal(l.amount(), scale(l.currency())), l.reference(), l.type(),
                l.currency(), decimal(l.fee(), scale(l.currency())), l.date().toString(), l.group()};
            for (int i = 0; i < fields.length; i++) {
                csv.append(i == 0 ? "" : ",").append(quote(fields[i], w.quoteAll()));
            }
            csv.append(w.crlf() ? "\r\n" : "\n");
            n++;
            expected.add(new Line(n, l.reference(), l.type(), l.amount(), l.fee(), l.currency(), l.date(), l.group(),
                l.description()));
        }
        Lines sink = new Lines();
        new GenericCsvImporter(Lines.SCALES).read(Lines.utf8(csv.toString()), sink);
        assertThat(sink.lines).isEqualTo(expected);
    }

    @Provide
    Arbitrary<List<Written>> files() {
        Arbitrary<String> currency = Arbitraries.of("USD", "JPY", "USDC", "BHD");
        Arbitrary<String> text = Arbitraries.strings().withChars("ab ,\"\n\r|é\u00a0x;").ofMaxLength(30);
        Arbitrary<String> token = Arbitraries.strings().withChars("abcXYZ019-_|,\"\n").ofMaxLength(12)
            .map(String::strip);
        Arbitrary<String> kind = Arbitraries.of("sale", "rebill", "refund", "chargeback_reversal", "payout", "other",
            "custom_kind", "");
        Arbitrary<LocalDate> date = Arbitraries.longs().between(-1000, 40_000).map(LocalDate::ofEpochDay);
        Arbitrary<Line> line = Combinators.combine(token, kind, Arbitraries.longs().greaterOrEqual(-Long.MAX_VALUE),
            Arbitraries.longs().between(-1_000_000, 1_000_000), currency, date, token, text)
            .as((ref, type, amount, fee, ccy, day, group, desc) -> new Line(0, ref, type, amount, fee, ccy, day,
                group, desc));
        return Combinators.combine(line, Arbitraries.of(true, false), Arbitraries.of(true, false))
            .as(Written::new).list();
    }

    private static int scale(String currency) {
        return Lines.SCALES.scaleOf(currency);
    }

    private static String decimal(long minor, int scale) {
        return java.math.BigDecimal.valueOf(minor, scale).toPlainString();
    }

    private static String quote(String s, boolean always) {
        boolean needs = s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
        return always || needs ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
