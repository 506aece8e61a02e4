package com.fanzfinance.reconciliation.importers;

import com.fanzfinance.reconciliation.CurrencyScales;
import com.fanzfinance.reconciliation.LineSink;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** Test helpers: a sink that keeps what it is given, the currencies of the tests, files from strings. */
final class Lines implements LineSink {
    /** One call of {@link LineSink#line}. */
    record Line(long line, String reference, String type, long amount, long fee, String currency, LocalDate date,
                String group, String description) {
    }

    static final CurrencyScales SCALES = code -> switch (code) {
        case "USD", "EUR", "GBP" -> 2;
        case "JPY" -> 0;
        case "USDC" -> 6;
        case "BHD" -> 3;
        default -> -1;
    };

    final List<Line> lines = new ArrayList<>();

    @Override
    public void line(long line, String reference, String type, long amount, long fee, String currency, long epochDay,
                     String group, String description) {
        lines.add(new Line(line, reference, type, amount, fee, currency, LocalDate.ofEpochDay(epochDay), group,
            description));
    }

    static InputStream utf8(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    static LocalDate day(String iso) {
        return LocalDate.parse(iso);
    }
}
