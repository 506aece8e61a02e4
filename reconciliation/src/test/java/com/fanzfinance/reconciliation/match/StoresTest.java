package com.fanzfinance.reconciliation.match;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fanzfinance.reconciliation.StatementFormatException;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StoresTest {

    @Test
    void statementLinesRefuseMoreThanAThousandDistinctTypes() {
        var s = new StatementLines(10_000, 16);
        for (int i = 0; i < StatementLines.MAX_TYPES; i++) {
            s.line(i + 1, "", "t" + i, 1, 0, "USD", 19_000, "", "");
        }
        s.line(1001, "", "t7", 1, 0, "USD", 19_000, "", "");
        assertThatThrownBy(() -> s.line(1002, "", "one-too-many", 1, 0, "USD", 19_000, "", ""))
            .isInstanceOfSatisfying(StatementFormatException.class, e -> {
                assertThat(e.pointer()).isEqualTo("/lines/1002/type");
                assertThat(e.getMessage()).contains("more than 1000 distinct line types");
            });
        assertThat(s.size()).isEqualTo(1001);
        assertThat(s.totals().get(0).count()).isEqualTo(1001);
    }

    @Test
    void statementLinesGrowPastTheirInitialCapacityAndKeepEveryColumn() {
        var s = new StatementLines(10_000, 2);
        long before = s.bytesUsed();
        for (int i = 0; i < 5_000; i++) {
            s.line(i + 1, "r" + i + "|x" + i, i % 3 == 0 ? "sale" : "refund", i * 7L - 100, i % 5, i % 2 == 0 ? "USD" : "EUR",
                19_000 + i % 40, "g" + (i % 9), "description " + i);
        }
        assertThat(s.size()).isEqualTo(5_000);
        assertThat(s.bytesUsed()).isGreaterThan(before);
        for (int i = 0; i < 5_000; i += 499) {
            assertThat(s.lineNumber(i)).isEqualTo(i + 1);
            assertThat(s.reference(i)).isEqualTo("r" + i + "|x" + i);
            assertThat(s.references(i)).containsExactly("r" + i, "x" + i);
            assertThat(s.referenceCount(i)).isEqualTo(2);
            assertThat(s.type(i)).isEqualTo(i % 3 == 0 ? "sale" : "refund");
            assertThat(s.amount(i)).isEqualTo(i * 7L - 100);
            assertThat(s.fee(i)).isEqualTo(i % 5);
            assertThat(s.currency(i)).isEqualTo(i % 2 == 0 ? "USD" : "EUR");
            assertThat(s.epochDay(i)).isEqualTo(19_000 + i % 40);
            assertThat(s.group(i)).isEqualTo("g" + (i % 9));
            assertThat(s.description(i)).isEqualTo("description " + i);
        }
        assertThat(s.minEpochDay()).isEqualTo(19_000);
        assertThat(s.maxEpochDay()).isEqualTo(19_039);
        assertThat(s.totals()).extracting(StatementLines.CurrencyTotal::currency).containsExactly("USD", "EUR");
        var usd = s.totals().get(0);
        long count = 0;
        long amount = 0;
        long fee = 0;
        for (int i = 0; i < 5_000; i += 2) {
            count++;
            amount += i * 7L - 100;
            fee += i % 5;
        }
        assertThat(usd).isEqualTo(new StatementLines.CurrencyTotal("USD", count, amount, fee));
    }

    @Test
    void textRoundTripsThroughTheArenaIncludingNonAsciiUtf8() {
        var s = new StatementLines(10, 1);
        String desc = "Zahlung für Müller – 支付 😀 ok";
        s.line(7, " Ref-ü | 😀 || b ", "sale", 1, 0, "EUR", 0, "Grüppe", desc);
        s.line(8, "", "", 2, 0, "EUR", 0, "", "");
        s.line(9, "|", "other", 3, 0, "EUR", 0, "g", "last");
        assertThat(s.reference(0)).isEqualTo(" Ref-ü | 😀 || b ");
        assertThat(s.references(0)).containsExactly("Ref-ü", "😀", "b");
        assertThat(s.group(0)).isEqualTo("Grüppe");
        assertThat(s.description(0)).isEqualTo(desc);
        assertThat(s.references(1)).isEmpty();
        assertThat(s.referenceCount(2)).isZero();
        assertThat(s.type(1)).isEmpty();
        assertThat(s.description(1)).isEmpty();
        assertThat(s.description(2)).isEqualTo("last");
        assertThatThrownBy(() -> s.amount(3)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void theLineLimitRefusesTheNextLineAndKeepsTheStoreAsItWas() {
        var s = new StatementLines(3);
        s.line(1, "a", "sale", 1, 0, "USD", 0, "", "");
        s.line(2, "b", "sale", 1, 0, "USD", 0, "", "");
        s.line(5, "c", "sale", 1, 0, "USD", 0, "", "");
        assertThatThrownBy(() -> s.line(6, "d", "sale", 1, 0, "USD", 0, "", ""))
            .isInstanceOfSatisfying(StatementFormatException.class, e -> {
                assertThat(e).hasMessage("the file has more than 3 lines; the limit is 3 (FANZ_RECON_MAX_LINES)");
                assertThat(e.line()).isEqualTo(6);
                assertThat(e.pointer()).isEqualTo("/lines/6");
            });
        assertThat(s.size()).isEqualTo(3);
        assertThat(s.description(2)).isEmpty();
        assertThat(s.totals().get(0).count()).isEqualTo(3);
    }

    @Test
    void aDateBeyondAnIntAndTotalsThatOverflowAreRefused() {
        var s = new StatementLines(10);
        assertThatThrownBy(() -> s.line(4, "a", "sale", 1, 0, "USD", 1L << 40, "", ""))
            .isInstanceOfSatisfying(StatementFormatException.class, e -> assertThat(e.pointer()).isEqualTo("/lines/4/date"));
        s.line(5, "a", "sale", Long.MAX_VALUE - 1, 0, "USD", 0, "", "");
        assertThatThrownBy(() -> s.line(6, "a", "sale", 2, 0, "USD", 0, "", "x"))
            .isInstanceOfSatisfying(StatementFormatException.class, e -> assertThat(e.pointer()).isEqualTo("/lines/6/amount"));
        assertThat(s.size()).isEqualTo(1);
        assertThat(s.description(0)).isEmpty();
        s.line(7, "a", "sale", 2, 0, "EUR", 0, "", "y");
        assertThat(s.description(1)).isEqualTo("y");
    }

    @Test
    void ledgerItemsGrowTrimKeysAndKeepTheirCase() {
        var items = new LedgerItems(1);
        for (int i = 0; i < 3_000; i++) {
            int at = items.add(new UUID(i, -i), i - 1_000, i % 3, i % 2 == 0 ? "USD" : "JPY", 19_000 + i, i % 4 == 0 ? "" : " b" + i % 4 + " ",
                " Key-" + i + " ", null, "", "   ", "key-" + i, "ALT-ü" + i);
            assertThat(at).isEqualTo(i);
        }
        assertThat(items.size()).isEqualTo(3_000);
        for (int i = 0; i < 3_000; i += 299) {
            assertThat(items.id(i)).isEqualTo(new UUID(i, -i));
            assertThat(items.amount(i)).isEqualTo(i - 1_000);
            assertThat(items.fee(i)).isEqualTo(i % 3);
            assertThat(items.currency(i)).isEqualTo(i % 2 == 0 ? "USD" : "JPY");
            assertThat(items.epochDay(i)).isEqualTo(19_000 + i);
            assertThat(items.group(i)).isEqualTo(i % 4 == 0 ? "" : "b" + i % 4);
            assertThat(items.keys(i)).containsExactly("Key-" + i, "ALT-ü" + i);
            assertThat(items.keyCount(i)).isEqualTo(2);
            assertThat(items.reference(i)).isEqualTo("Key-" + i);
        }
        int bare = items.add(new UUID(1, 1), 5, 0, "USD", 0, null);
        assertThat(items.keys(bare)).isEmpty();
        assertThat(items.reference(bare)).isEmpty();
        assertThat(items.group(bare)).isEmpty();
        assertThat(items.bytesUsed()).isPositive();
        assertThatThrownBy(() -> items.amount(bare + 1)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
