package com.fanzfinance.reconciliation.importers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fanzfinance.reconciliation.StatementFormatException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvReaderTest {

    private static List<List<String>> records(String text) throws IOException {
        return records(new StringReader(text), ',');
    }

    private static List<List<String>> records(Reader in, char delimiter) throws IOException {
        CsvReader csv = new CsvReader(in, delimiter);
        List<List<String>> out = new ArrayList<>();
        while (csv.next()) {
            List<String> r = new ArrayList<>();
            for (int i = 0; i < csv.fieldCount(); i++) {
                r.add(csv.field(i));
            }
            out.add(r);
        }
        return out;
    }

    @Test
    void plainRecordsWithLfCrlfAndNoFinalNewline() throws IOException {
        assertThat(records("a,b\r\nc,d\ne,f")).containsExactly(List.of("a", "b"), List.of("c", "d"), List.of("e", "f"));
        assertThat(records("a,b\n")).containsExactly(List.of("a", "b"));
        assertThat(records("")).isEmpty();
    }

    @Test
    void quotedFieldsHoldDelimitersQuotesAndLineBreaks() throws IOException {
        assertThat(records("\"a,b\",\"say \"\"hi\"\"\",\"x\r\ny\nz\"\n\"\",end"))
            .containsExactly(List.of("a,b", "say \"hi\"", "x\r\ny\nz"), List.of("", "end"));
    }

    @Test
    void emptyFieldsAndTrailingDelimiter() throws IOException {
        assertThat(records(",,\na,\n")).containsExactly(List.of("", "", ""), List.of("a", ""));
    }

    @Test
    void aQuoteInsideAnUnquotedFieldIsKept() throws IOException {
        assertThat(records("5\" screen,b\n")).containsExactly(List.of("5\" screen", "b"));
    }

    @Test
    void loneCrEndsARecord() throws IOException {
        assertThat(records("a\rb\r\nc")).containsExactly(List.of("a"), List.of("b"), List.of("c"));
    }

    @Test
    void countsPhysicalLinesAndRecords() throws IOException {
        CsvReader csv = new CsvReader(new StringReader("h\n\"two\nlines\"\n\nlast\n"), ',');
        assertThat(csv.next()).isTrue();
        assertThat(csv.record()).isEqualTo(1);
        assertThat(csv.firstLine()).isEqualTo(1);
        assertThat(csv.pointer()).isEqualTo("/header");
        assertThat(csv.next()).isTrue();
        assertThat(csv.firstLine()).isEqualTo(2);
        assertThat(csv.blank()).isFalse();
        assertThat(csv.next()).isTrue();
        assertThat(csv.blank()).isTrue();
        assertThat(csv.firstLine()).isEqualTo(4);
        assertThat(csv.next()).isTrue();
        assertThat(csv.record()).isEqualTo(4);
        assertThat(csv.firstLine()).isEqualTo(5);
        assertThat(csv.pointer()).isEqualTo("/lines/3");
        assertThat(csv.next()).isFalse();
    }

    @Test
    void aQuotedEmptyFieldIsNotABlankLine() throws IOException {
        CsvReader csv = new CsvReader(new StringReader("\"\"\n"), ',');
        assertThat(csv.next()).isTrue();
        assertThat(csv.blank()).isFalse();
    }

    @Test
    void skipsAByteOrderMarkAtTheStartOnly() throws IOException {
        assertThat(records("\uFEFFa,\uFEFFb\n")).containsExactly(List.of("a", "\uFEFFb"));
    }

    @Test
    void otherDelimiters() throws IOException {
        assertThat(records(new StringReader("a;\"b;c\";d,e\n"), ';')).containsExactly(List.of("a", "b;c", "d,e"));
        assertThat(records(new StringReader("a\tb\n"), '\t')).containsExactly(List.of("a", "b"));
    }

    @Test
    void readsThroughBufferBoundariesOneCharAtATime() throws IOException {
        Reader trickle = new Reader() {
            private final StringReader in = new StringReader("\"a\"\"\",\"b\r\nc\"\r\nd,e\r\n");

            @Override
            public int read(char[] cbuf, int off, int len) throws IOException {
                return in.read(cbuf, off, Math.min(len, 1));
            }

            @Override
            public void close() {
            }
        };
        assertThat(records(trickle, ',')).containsExactly(List.of("a\"", "b\r\nc"), List.of("d", "e"));
    }

    @Test
    void unterminatedQuote() {
        assertThatThrownBy(() -> records("h\nok\n\"never\nclosed,x\n"))
            .isInstanceOf(StatementFormatException.class)
            .hasMessageContaining("opened on line 3 is never closed")
            .satisfies(e -> {
                StatementFormatException s = (StatementFormatException) e;
                assertThat(s.line()).isEqualTo(3);
                assertThat(s.pointer()).isEqualTo("/lines/2");
            });
    }

    @Test
    void textAfterAClosingQuote() {
        assertThatThrownBy(() -> records("\"a\"b,c\n")).isInstanceOf(StatementFormatException.class)
            .hasMessageContaining("after the closing quote");
    }

    @Test
    void recordTooLong() {
        String big = "x".repeat(CsvReader.MAX_RECORD + 1);
        assertThatThrownBy(() -> records("h\n" + big + "\n")).isInstanceOf(StatementFormatException.class)
            .hasMessageContaining("longer than 65536");
        String bigQuoted = "\"" + "y\n".repeat(CsvReader.MAX_RECORD) + "\"";
        assertThatThrownBy(() -> records(bigQuoted)).isInstanceOf(StatementFormatException.class)
            .hasMessageContaining("longer than 65536")
            .satisfies(e -> assertThat(((StatementFormatException) e).pointer()).isEqualTo("/header"));
    }

    @Test
    void recordAtTheLimitIsRead() throws IOException {
        String fits = "x".repeat(CsvReader.MAX_RECORD);
        assertThat(records(fits + "\n")).containsExactly(List.of(fits));
    }

    @Test
    void tooManyFields() throws IOException {
        assertThat(records(",".repeat(63) + "\n").get(0)).hasSize(64);
        assertThatThrownBy(() -> records(",".repeat(64) + "\n")).isInstanceOf(StatementFormatException.class)
            .hasMessageContaining("more than 64 fields");
    }
}
