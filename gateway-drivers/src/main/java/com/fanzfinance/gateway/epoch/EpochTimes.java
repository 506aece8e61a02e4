package com.fanzfinance.gateway.epoch;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.Optional;

/**
 * Epoch's times: FlexPost {@code event_datetime} is ISO-8601 in UTC ({@code 2020-05-28T10:50:05.970Z}); the format
 * of DataPlus {@code ets_transaction_date} is not public, so ISO-8601 with or without an offset,
 * {@code yyyy-MM-dd HH:mm:ss} and a bare date are read, those without an offset in the account's {@code timezone}.
 */
final class EpochTimes {

    private static final DateTimeFormatter SPACED =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss[.SSS]").withResolverStyle(ResolverStyle.STRICT);

    private EpochTimes() {
    }

    static Optional<Instant> parse(String text, String timezone) {
        String trimmed = text.trim();
        if (trimmed.length() > 40) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(trimmed).toInstant());
        } catch (DateTimeException ignored) {
            // not ISO-8601 with an offset
        }
        try {
            ZoneId zone = ZoneId.of(timezone.trim());
            for (DateTimeFormatter format : new DateTimeFormatter[] {DateTimeFormatter.ISO_LOCAL_DATE_TIME, SPACED}) {
                try {
                    return Optional.of(LocalDateTime.parse(trimmed, format).atZone(zone).toInstant());
                } catch (DateTimeException ignored) {
                    // try the next format
                }
            }
            return Optional.of(LocalDate.parse(trimmed).atStartOfDay(zone).toInstant());
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }
}
