package com.fanzfinance.gateway.segpay;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Segpay's {@code <transtime>}: documented as GMT in a US format such as {@code 7/28/2008 3:38:43 PM}. The exact
 * format of every Segpay product is not public, so a 24-hour variant and ISO-8601 (with or without an offset) are
 * read too; a time without an offset is in the account's {@code timezone}.
 */
final class SegpayTimes {

    private static final List<DateTimeFormatter> LOCAL = List.of(
            formatter("M/d/uuuu h:mm:ss a"),
            formatter("M/d/uuuu H:mm:ss"),
            formatter("uuuu-MM-dd HH:mm:ss"),
            DateTimeFormatter.ISO_LOCAL_DATE_TIME);

    private SegpayTimes() {
    }

    static Optional<Instant> parse(String text, String timezone) {
        String trimmed = text.trim().replaceAll("\\s+", " ");
        if (trimmed.length() > 40) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(trimmed).toInstant());
        } catch (DateTimeException ignored) {
            // not ISO-8601 with an offset
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(timezone.trim());
        } catch (DateTimeException e) {
            return Optional.empty();
        }
        for (DateTimeFormatter format : LOCAL) {
            try {
                return Optional.of(LocalDateTime.parse(trimmed, format).atZone(zone).toInstant());
            } catch (DateTimeException ignored) {
                // try the next format
            }
        }
        return Optional.empty();
    }

    private static DateTimeFormatter formatter(String pattern) {
        return new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern(pattern)
                .toFormatter(Locale.US).withResolverStyle(ResolverStyle.STRICT);
    }
}
