package com.fanzfinance.payouts.ach;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BankingDaysTest {

    /** The Federal Reserve's published holiday schedule for 2025–2027 (weekday observances only). */
    private static final Set<LocalDate> FED_HOLIDAYS_2025_2027 = Stream.of(
            "2025-01-01", "2025-01-20", "2025-02-17", "2025-05-26", "2025-06-19", "2025-07-04", "2025-09-01",
            "2025-10-13", "2025-11-11", "2025-11-27", "2025-12-25",
            "2026-01-01", "2026-01-19", "2026-02-16", "2026-05-25", "2026-06-19", "2026-09-07", "2026-10-12",
            "2026-11-11", "2026-11-26", "2026-12-25",
            "2027-01-01", "2027-01-18", "2027-02-15", "2027-05-31", "2027-07-05", "2027-09-06", "2027-10-11",
            "2027-11-11", "2027-11-25")
            .map(LocalDate::parse).collect(Collectors.toSet());

    @Test
    void everyDayOf2025To2027IsABankingDayExactlyWhenAWeekdayOffTheHolidayTable() {
        for (LocalDate day = LocalDate.of(2025, 1, 1); day.getYear() <= 2027; day = day.plusDays(1)) {
            boolean weekend = day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY;
            boolean expected = !weekend && !FED_HOLIDAYS_2025_2027.contains(day);
            assertThat(BankingDays.isBankingDay(day)).as(day + " " + day.getDayOfWeek()).isEqualTo(expected);
        }
    }

    /** Holidays on a Saturday are not moved to the Friday: the Fed is open that Friday. */
    @ParameterizedTest
    @ValueSource(strings = {"2026-07-03", "2027-06-18", "2027-12-24", "2027-12-31", "2021-06-18"})
    void fridayBeforeASaturdayHolidayIsABankingDay(String friday) {
        assertThat(BankingDays.isBankingDay(LocalDate.parse(friday))).isTrue();
    }

    /** Holidays on a Sunday are observed on the Monday. */
    @ParameterizedTest
    @ValueSource(strings = {"2027-07-05", "2022-06-20", "2023-01-02", "2022-12-26", "2021-07-05"})
    void mondayAfterASundayHolidayIsNot(String monday) {
        assertThat(BankingDays.isBankingDay(LocalDate.parse(monday))).isFalse();
    }

    @Test
    void juneteenthOnlyFrom2021() {
        assertThat(BankingDays.isBankingDay(LocalDate.of(2020, 6, 19))).isTrue();
        assertThat(BankingDays.isBankingDay(LocalDate.of(2023, 6, 19))).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
        "2026-07-02, 2026-07-03",   // Thursday → Friday (4 July is a Saturday, not observed Friday)
        "2026-07-03, 2026-07-06",   // Friday → Monday
        "2026-11-25, 2026-11-27",   // over Thanksgiving
        "2027-07-02, 2027-07-06",   // over the weekend and the observed Monday
        "2026-12-24, 2026-12-28",   // over Christmas Friday and the weekend
        "2027-12-24, 2027-12-27",   // Christmas Saturday: nothing moves
        "2026-01-16, 2026-01-20"})  // Friday before MLK day
    void nextBankingDayIsStrictlyAfter(String after, String expected) {
        assertThat(BankingDays.nextBankingDay(LocalDate.parse(after))).isEqualTo(LocalDate.parse(expected));
    }

    @ParameterizedTest
    @CsvSource({
        "2026-07-03, 2026-07-03",
        "2026-07-04, 2026-07-06",
        "2027-07-04, 2027-07-06",
        "2026-11-26, 2026-11-27",
        "2026-01-19, 2026-01-20"})
    void onOrAfterKeepsABankingDay(String day, String expected) {
        assertThat(BankingDays.onOrAfter(LocalDate.parse(day))).isEqualTo(LocalDate.parse(expected));
    }
}
